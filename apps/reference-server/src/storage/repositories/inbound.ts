import type { Queryable } from '../database.js';

/** A message a contact sent the business: what engagement (block, report) is judged by. */
export interface InboundMessage {
  id: string;
  waId: string;
  body: string;
  receivedAt: number;
}

/** False when a message with this id was already stored (it is left as it was). */
export async function insertInboundMessage(q: Queryable, message: InboundMessage): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO inbound_messages (id, wa_id, body, received_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [message.id, message.waId, message.body, message.receivedAt],
  );
  return rows.length > 0;
}

/** The messages with these ids, in one query (for the reports the sandbox shows). */
export async function getInboundMessages(q: Queryable, ids: readonly string[]): Promise<InboundMessage[]> {
  if (ids.length === 0) return [];
  return q.query<InboundMessage>(
    `SELECT id, wa_id AS "waId", body, received_at AS "receivedAt" FROM inbound_messages WHERE id = ANY($1::text[])`,
    [ids],
  );
}
