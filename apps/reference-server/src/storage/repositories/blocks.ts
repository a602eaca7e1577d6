import type { Queryable } from '../database.js';

export interface Block {
  waId: string;
  reason: string | null;
  blockedAt: number;
}

/** False when already blocked: the first block, its reason and its place in the list stay. */
export async function blockContact(q: Queryable, block: Block): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO blocks (wa_id, reason, blocked_at) VALUES ($1, $2, $3)
     ON CONFLICT (wa_id) DO NOTHING RETURNING wa_id`,
    [block.waId, block.reason, block.blockedAt],
  );
  return rows.length > 0;
}

/** False when it was not blocked. */
export async function unblockContact(q: Queryable, waId: string): Promise<boolean> {
  const rows = await q.query('DELETE FROM blocks WHERE wa_id = $1 RETURNING wa_id', [waId]);
  return rows.length > 0;
}

/** One page of the blocklist, in blocking order. */
export async function listBlocks(q: Queryable, page: { limit: number; offset: number }): Promise<Block[]> {
  return q.query<Block>(
    `SELECT wa_id AS "waId", reason, blocked_at AS "blockedAt" FROM blocks
     ORDER BY seq LIMIT $1 OFFSET $2`,
    [page.limit, page.offset],
  );
}

export async function countBlocks(q: Queryable): Promise<number> {
  const rows = await q.query<{ total: number }>('SELECT count(*) AS total FROM blocks');
  return rows[0]!.total;
}

export async function isBlocked(q: Queryable, waId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM blocks WHERE wa_id = $1', [waId]);
  return rows.length > 0;
}
