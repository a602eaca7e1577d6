import type { Queryable } from '../database.js';

export type MisuseStateName = 'ok' | 'warned' | 'disabled';

export interface MisuseState {
  state: MisuseStateName;
  warnedAt: number | null;
  disabledAt: number | null;
  version: number;
}

export interface MisuseCounts {
  checked: number;
  sent: number;
}

const STATE_COLUMNS = 'state, warned_at AS "warnedAt", disabled_at AS "disabledAt", version';

/** Shards of a day's counts (migration 008): transactions counting at once rarely share a row. */
export const MISUSE_SHARDS = 16;

/**
 * Adds to one shard of a day's counts in one statement (simultaneous counts from any instance
 * all land); the day's counts are the sum of its shards.
 */
export async function addMisuseCounts(
  q: Queryable,
  day: number,
  add: Partial<MisuseCounts>,
  shard: number,
): Promise<void> {
  await q.query(
    `INSERT INTO misuse_counts (day, shard, checked, sent) VALUES ($1, $2, $3, $4)
     ON CONFLICT (day, shard) DO UPDATE SET checked = misuse_counts.checked + $3, sent = misuse_counts.sent + $4`,
    [day, shard, add.checked ?? 0, add.sent ?? 0],
  );
}

/** The counts of the days fromDay to toDay, both included. */
export async function sumMisuseCounts(q: Queryable, fromDay: number, toDay: number): Promise<MisuseCounts> {
  const rows = await q.query<MisuseCounts>(
    `SELECT COALESCE(SUM(checked), 0)::bigint AS checked, COALESCE(SUM(sent), 0)::bigint AS sent
     FROM misuse_counts WHERE day BETWEEN $1 AND $2`,
    [fromDay, toDay],
  );
  return rows[0]!;
}

export async function clearMisuseCounts(q: Queryable): Promise<void> {
  await q.query('DELETE FROM misuse_counts');
}

/** The state; `forUpdate` locks it until the transaction ends, so evaluations take turns. */
export async function getMisuseState(q: Queryable, { forUpdate = false } = {}): Promise<MisuseState> {
  const rows = await q.query<MisuseState>(
    `SELECT ${STATE_COLUMNS} FROM misuse_state WHERE id = 1${forUpdate ? ' FOR UPDATE' : ''}`,
  );
  return rows[0]!; // the migration inserts the single row
}

/** Replaces the state, one version up; returns it as stored. */
export async function setMisuseState(q: Queryable, next: Omit<MisuseState, 'version'>): Promise<MisuseState> {
  const rows = await q.query<MisuseState>(
    `UPDATE misuse_state SET state = $1, warned_at = $2, disabled_at = $3, version = version + 1
     WHERE id = 1 RETURNING ${STATE_COLUMNS}`,
    [next.state, next.warnedAt, next.disabledAt],
  );
  return rows[0]!;
}
