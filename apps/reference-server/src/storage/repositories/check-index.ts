import type { Queryable } from '../database.js';
import { jsonRows, parseJsonRows } from '../json-rows.js';
import type { CheckInput } from './check-inputs.js';
import type { CheckStatus } from './contact-checks.js';

/** A stored input with its number's result checked at or after freshSince (null: none). */
export type IndexRow = [
  input: string,
  kind: CheckInput['kind'],
  waId: string,
  status: CheckStatus | null,
  checkedAt: number | null,
];

/** How many inputs are stored under one normalizer context (to size an in-process index once). */
export async function countCheckInputs(q: Queryable, context: string): Promise<number> {
  const [row] = await q.query<{ count: string }>(
    'SELECT count(*)::text AS count FROM check_inputs WHERE context = $1',
    [context],
  );
  return Number(row!.count);
}

/**
 * Up to `limit` stored inputs of one context after `after` (keyset paging on the primary key),
 * each with its number's fresh result, as one JSON text.
 */
export async function readIndexPage(
  q: Queryable,
  context: string,
  after: string,
  limit: number,
  freshSince: number,
): Promise<IndexRow[]> {
  const [row] = await q.query<{ rows: string }>(
    `SELECT ${jsonRows('page.input, page.kind, page.wa_id, c.status, c.checked_at', 'page.input')} AS rows
     FROM (SELECT input, kind, wa_id FROM check_inputs WHERE context = $1 AND input > $2 ORDER BY input LIMIT $3) page
     LEFT JOIN contact_checks c ON c.wa_id = page.wa_id AND c.checked_at >= $4::bigint`,
    [context, after, limit, freshSince],
  );
  return parseJsonRows<IndexRow>(row!.rows);
}
