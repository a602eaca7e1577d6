import type { Queryable } from '../database.js';
import { jsonRows, parseJsonRows } from '../json-rows.js';
import type { CheckInput } from './check-inputs.js';

/** A page of contact_checks for an in-process index: wa_ids and results, packed checked_at * 2 + valid. */
export interface PackedChecksPage {
  waIds: string[];
  packed: number[];
}

/**
 * Up to `limit` results checked at or after freshSince, of wa_ids after `after` in key order
 * (keyset paging on the primary key), as two JSON arrays in one text: a page of 50,000 parses
 * into two arrays, not 50,000.
 */
export async function readPackedChecks(
  q: Queryable,
  after: string,
  limit: number,
  freshSince: number,
): Promise<PackedChecksPage> {
  const [row] = await q.query<{ rows: string }>(
    `SELECT json_build_array(coalesce(json_agg(wa_id ORDER BY wa_id), '[]'),
                             coalesce(json_agg(checked_at * 2 + (status = 'valid')::int ORDER BY wa_id), '[]'))::text AS rows
     FROM (SELECT wa_id, status, checked_at FROM contact_checks
           WHERE wa_id > $1 AND checked_at >= $3::bigint ORDER BY wa_id LIMIT $2) page`,
    [after, limit, freshSince],
  );
  const [waIds, packed] = JSON.parse(row!.rows) as [string[], number[]];
  return { waIds, packed };
}

/** Up to `limit` stored inputs of one normalizer context after `after`, in key order. */
export async function readCheckInputsPage(
  q: Queryable,
  context: string,
  after: string,
  limit: number,
): Promise<CheckInput[]> {
  const [row] = await q.query<{ rows: string }>(
    `SELECT ${jsonRows('input, kind, wa_id', 'input')} AS rows
     FROM (SELECT input, kind, wa_id FROM check_inputs WHERE context = $1 AND input > $2 ORDER BY input LIMIT $3) page`,
    [context, after, limit],
  );
  return parseJsonRows<[string, CheckInput['kind'], string]>(row!.rows).map(([input, kind, waId]) => ({
    input,
    kind,
    waId,
  }));
}
