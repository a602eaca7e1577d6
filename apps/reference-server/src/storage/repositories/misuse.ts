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

/**
 * Adds to a day's counts in one statement (simultaneous counts from any instance all land) and
 * returns the counts of the days fromDay to that day: the statement sees the table as it was
 * before its own upsert, so the day's row comes from the upsert and the others from the table.
 */
export async function addMisuseCounts(
  q: Queryable,
  day: number,
  add: Partial<MisuseCounts>,
  fromDay: number,
): Promise<MisuseCounts> {
  const rows = await q.query<MisuseCounts>(
    `WITH counted AS (
       INSERT INTO misuse_counts (day, checked, sent) VALUES ($1, $2, $3)
       ON CONFLICT (day) DO UPDATE SET checked = misuse_counts.checked + $2, sent = misuse_counts.sent + $3
       RETURNING checked, sent)
     SELECT (counted.checked + COALESCE(earlier.checked, 0))::bigint AS checked,
            (counted.sent + COALESCE(earlier.sent, 0))::bigint AS sent
     FROM counted, (SELECT SUM(checked) AS checked, SUM(sent) AS sent
                    FROM misuse_counts WHERE day >= $4 AND day < $1) AS earlier`,
    [day, add.checked ?? 0, add.sent ?? 0, fromDay],
  );
  return rows[0]!;
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
