import type { Queryable } from '../database.js';

export interface Report {
  id: number;
  waId: string;
  reason: string | null;
  /** Whether the report also blocked the contact. */
  block: boolean;
  reportedAt: number;
  messageIds: string[];
}

export interface NewReport {
  waId: string;
  reason: string | null;
  block: boolean;
  reportedAt: number;
  /** The message reported; without it, the contact's last `lastMessages` messages. */
  messageId: string | undefined;
  lastMessages: number;
  /** The contact must have written after this time. */
  engagedSince: number;
}

/**
 * The statement that files a report, and blocks its contact when `block`: blocks' statement
 * trigger (its bucket counts) runs for every INSERT into blocks, rows or none, a fifth of a
 * report's statement on PGlite, so a report that does not block has no such INSERT.
 */
const fileReportSql = (block: boolean): string => `WITH ids AS (
       SELECT CASE WHEN $5::text IS NULL
         THEN ARRAY(SELECT id FROM inbound_messages WHERE wa_id = $1 ORDER BY received_at DESC, id DESC LIMIT $6)
         ELSE ARRAY(SELECT id FROM inbound_messages WHERE id = $5 AND wa_id = $1) END AS message_ids
     ), verdict AS (
       SELECT EXISTS (SELECT 1 FROM inbound_messages WHERE wa_id = $1 AND received_at > $7) AS engaged,
         ($5::text IS NULL OR cardinality(message_ids) > 0) AS found, message_ids
       FROM ids
     ), report AS (
       INSERT INTO reports (wa_id, reason, block, reported_at, message_ids)
       SELECT $1, $2, $3, $4, message_ids FROM verdict WHERE engaged AND found RETURNING id
     )${
       block
         ? `, blocked AS (
       INSERT INTO blocks (wa_id, reason, blocked_at) SELECT $1, $2, $4 FROM report
       ON CONFLICT (wa_id) DO NOTHING
     )`
         : ''
     }
     SELECT engaged, found FROM verdict`;
const FILE_REPORT = fileReportSql(false);
const FILE_REPORT_AND_BLOCK = fileReportSql(true);

/**
 * Files a report of a contact that wrote after engagedSince (and blocks it when asked), in one
 * statement where a transaction took five on PGlite, whose cost is per statement. Nothing is
 * stored unless the answer is 'filed'; a given message must be the contact's.
 */
export async function fileReport(q: Queryable, r: NewReport): Promise<'filed' | 'not engaged' | 'no such message'> {
  const [row] = await q.query<{ engaged: boolean; found: boolean }>(r.block ? FILE_REPORT_AND_BLOCK : FILE_REPORT, [
    r.waId,
    r.reason,
    r.block,
    r.reportedAt,
    r.messageId ?? null,
    r.lastMessages,
    r.engagedSince,
  ]);
  if (!row!.engaged) return 'not engaged';
  return row!.found ? 'filed' : 'no such message';
}

/** Every report, oldest first. */
export async function listReports(q: Queryable): Promise<Report[]> {
  return q.query<Report>(
    `SELECT id, wa_id AS "waId", reason, block, reported_at AS "reportedAt", message_ids AS "messageIds"
     FROM reports ORDER BY id`,
  );
}
