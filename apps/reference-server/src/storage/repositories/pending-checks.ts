import type { Queryable } from '../database.js';
import { sortedWaIds } from './order.js';

/** A number answered "processing" whose background check has not finished. */
export interface PendingCheck {
  waId: string;
  requestedAt: number;
}

/** Adds many in one statement; a number already pending keeps its first request time. */
export async function addPendingChecks(q: Queryable, waIds: readonly string[], requestedAt: number): Promise<void> {
  if (waIds.length === 0) return;
  await q.query(
    `INSERT INTO pending_checks (wa_id, requested_at)
     SELECT wa_id, $2::bigint FROM unnest($1::text[]) AS t(wa_id)
     ON CONFLICT (wa_id) DO NOTHING`,
    // In wa_id order like every multi-row write: opposite orders deadlock on PostgreSQL.
    [sortedWaIds(waIds), requestedAt],
  );
}

/** Oldest first (by requested_at, then wa_id); a page of `limit` after the row `after` when given. */
export async function listPendingChecks(
  q: Queryable,
  page: { after?: PendingCheck | undefined; limit?: number } = {},
): Promise<PendingCheck[]> {
  const { after, limit } = page;
  return q.query<PendingCheck>(
    `SELECT wa_id AS "waId", requested_at AS "requestedAt" FROM pending_checks
     WHERE $1::bigint IS NULL OR (requested_at, wa_id) > ($1::bigint, $2::text)
     ORDER BY requested_at, wa_id LIMIT $3::bigint`,
    [after?.requestedAt ?? null, after?.waId ?? null, limit ?? null],
  );
}
