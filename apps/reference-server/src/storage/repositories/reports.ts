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

/** Returns the new report's id. */
export async function insertReport(q: Queryable, report: Omit<Report, 'id'>): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO reports (wa_id, reason, block, reported_at, message_ids)
     VALUES ($1, $2, $3, $4, $5::text[]) RETURNING id`,
    [report.waId, report.reason, report.block, report.reportedAt, report.messageIds],
  );
  return rows[0]!.id;
}

/** Every report, oldest first. */
export async function listReports(q: Queryable): Promise<Report[]> {
  return q.query<Report>(
    `SELECT id, wa_id AS "waId", reason, block, reported_at AS "reportedAt", message_ids AS "messageIds"
     FROM reports ORDER BY id`,
  );
}
