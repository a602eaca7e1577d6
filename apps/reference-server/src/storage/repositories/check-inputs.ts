import type { Queryable } from '../database.js';
import { jsonRows, parseJsonRows } from '../json-rows.js';
import type { CheckStatus } from './contact-checks.js';

/** What an input of a check normalized to, in one normalizer context (see migration 008). */
export interface CheckInput {
  input: string;
  kind: 'valid' | 'possible';
  waId: string;
}

/** A stored input with its number's cached result, when there is a fresh one. */
export interface CheckInputWithResult extends CheckInput {
  status: CheckStatus | null;
  checkedAt: number | null;
}

/**
 * The stored inputs among `inputs`, in one query; with freshSince, each joined to its number's
 * result checked at or after it (null when there is none), as getContactChecks would read it.
 */
export async function readCheckInputs(
  q: Queryable,
  context: string,
  inputs: readonly string[],
  freshSince: number | null,
): Promise<CheckInputWithResult[]> {
  if (inputs.length === 0) return [];
  const [row] = await q.query<{ rows: string }>(
    `SELECT ${jsonRows('i.input, i.kind, i.wa_id, c.status, c.checked_at')} AS rows
     FROM check_inputs i
     LEFT JOIN contact_checks c ON $3::bigint IS NOT NULL AND c.wa_id = i.wa_id AND c.checked_at >= $3::bigint
     WHERE i.context = $1 AND i.input = ANY($2::text[])`,
    [context, inputs, freshSince],
  );
  return parseJsonRows<[string, CheckInput['kind'], string, CheckStatus | null, number | null]>(row!.rows).map(
    ([input, kind, waId, status, checkedAt]) => ({ input, kind, waId, status, checkedAt }),
  );
}

/** Stores inputs; one already stored is left as it is (the same input gives the same number). */
export async function addCheckInputs(q: Queryable, context: string, inputs: readonly CheckInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const distinct = new Map(inputs.map((i) => [i.input, i]));
  // Keys taken in one order by every writer, so concurrent inserts of the same inputs cannot deadlock.
  const rows = [...distinct.values()].sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0));
  await q.query(
    `INSERT INTO check_inputs (context, input, kind, wa_id)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
     ON CONFLICT (context, input) DO NOTHING`,
    [context, rows.map((r) => r.input), rows.map((r) => r.kind), rows.map((r) => r.waId)],
  );
}
