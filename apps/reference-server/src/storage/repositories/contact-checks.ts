import type { Queryable } from '../database.js';
import { jsonRows, parseJsonRows } from '../json-rows.js';

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
  return parseContactChecks(row!.rows);
}

/** The results of a jsonRows text of contact_checks' wa_id, status and checked_at, in that order. */
export function parseContactChecks(text: string): ContactCheck[] {
  return parseJsonRows<[string, CheckStatus, number]>(text).map(([waId, status, checkedAt]) => ({
    waId,
    status,
    checkedAt,
  }));
}
