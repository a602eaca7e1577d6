import type { Queryable } from '../database.js';
import { jsonRows, parseJsonRows } from '../json-rows.js';
import type { CheckInput } from './check-inputs.js';
import { type ContactCheck, parseContactChecks } from './contact-checks.js';

/** A stored input: what it normalized to. */
export type IndexInput = [input: string, kind: CheckInput['kind'], waId: string];

/** How many inputs are stored under one normalizer context (to size an in-process index once). */
export async function countCheckInputs(q: Queryable, context: string): Promise<number> {
  const [row] = await q.query<{ count: string }>(
    'SELECT count(*)::text AS count FROM check_inputs WHERE context = $1',
    [context],
  );
  return Number(row!.count);
}

/**
 * Up to `limit` stored inputs of one context after `after` (keyset paging on the primary key,
 * an index-only scan), as one JSON text.
 */
export async function readIndexInputs(
  q: Queryable,
  context: string,
  after: string,
  limit: number,
): Promise<IndexInput[]> {
  const [row] = await q.query<{ rows: string }>(
    `SELECT ${jsonRows('input, kind, wa_id', 'input')} AS rows
     FROM (SELECT input, kind, wa_id FROM check_inputs WHERE context = $1 AND input > $2 ORDER BY input LIMIT $3) page`,
    [context, after, limit],
  );
  return parseJsonRows<IndexInput>(row!.rows);
}

/** How many pages contact_checks has now (rows added later go past them). */
export async function countResultPages(q: Queryable): Promise<number> {
  const [row] = await q.query<{ pages: number }>(
    "SELECT (pg_relation_size('contact_checks') / current_setting('block_size')::int)::int AS pages",
  );
  return row!.pages;
}

/**
 * The results checked at or after freshSince on pages [from, from + count) of contact_checks: a
 * TID range scan, so pages read one after the other cover the table once, in its own order.
 */
export async function readResultPages(
  q: Queryable,
  from: number,
  count: number,
  freshSince: number,
): Promise<ContactCheck[]> {
  const [row] = await q.query<{ rows: string }>(
    `SELECT ${jsonRows('wa_id, status, checked_at')} AS rows FROM contact_checks
     WHERE ctid >= $1::tid AND ctid < $2::tid AND checked_at >= $3::bigint`,
    [`(${from},0)`, `(${from + count},0)`, freshSince],
  );
  return parseContactChecks(row!.rows);
}
