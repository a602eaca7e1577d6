import type { Queryable } from '../database.js';
import { jsonRows, parseJsonRows } from '../json-rows.js';
import { compareWaIds } from './order.js';

export type CheckStatus = 'valid' | 'invalid';

/** A final check result, cached per normalized number. */
export interface ContactCheck {
  waId: string;
  status: CheckStatus;
  checkedAt: number;
}

/**
 * The cached results for waIds in one query (absent numbers have none).
 * With freshSince, results checked before it are left out (the 7-day rule).
 */
export async function getContactChecks(
  q: Queryable,
  waIds: readonly string[],
  freshSince?: number,
): Promise<ContactCheck[]> {
  if (waIds.length === 0) return [];
  const [row] = await q.query<{ rows: string }>(
    `SELECT ${jsonRows('wa_id, status, checked_at', 'wa_id')} AS rows FROM contact_checks
     WHERE wa_id = ANY($1::text[]) AND ($2::bigint IS NULL OR checked_at >= $2::bigint)`,
    [waIds, freshSince ?? null],
  );
  return parseJsonRows<[string, CheckStatus, number]>(row!.rows).map(([waId, status, checkedAt]) => ({
    waId,
    status,
    checkedAt,
  }));
}

/**
 * Stores results in one statement. A result never replaces a newer one, so a slow
 * background check finishing after a forced re-check does not win.
 */
export async function upsertContactChecks(q: Queryable, checks: readonly ContactCheck[]): Promise<void> {
  // ON CONFLICT DO UPDATE refuses to touch one row twice in a statement: keep the newest per number.
  const newest = new Map<string, ContactCheck>();
  for (const c of checks) {
    const seen = newest.get(c.waId);
    if (!seen || c.checkedAt >= seen.checkedAt) newest.set(c.waId, c);
  }
  if (newest.size === 0) return;
  // Rows locked in one order (wa_id) in every writer, so concurrent checks cannot deadlock.
  const rows = [...newest.values()].sort((a, b) => compareWaIds(a.waId, b.waId));
  await q.query(
    `INSERT INTO contact_checks (wa_id, status, checked_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
     ON CONFLICT (wa_id) DO UPDATE SET status = excluded.status, checked_at = excluded.checked_at
     WHERE contact_checks.checked_at <= excluded.checked_at`,
    [rows.map((r) => r.waId), rows.map((r) => r.status), rows.map((r) => r.checkedAt)],
  );
}
