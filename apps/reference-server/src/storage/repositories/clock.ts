import type { Queryable } from '../database.js';

/** Sandbox time = real time + this offset, in milliseconds. */
export async function getClockOffset(q: Queryable): Promise<number> {
  const rows = await q.query<{ offsetMs: number }>('SELECT offset_ms AS "offsetMs" FROM sandbox_clock WHERE id = 1');
  return rows[0]!.offsetMs; // the migration inserts the single row
}

/** Moves the sandbox clock by deltaMs in one statement (no lost update); returns the new offset. */
export async function addClockOffset(q: Queryable, deltaMs: number): Promise<number> {
  const rows = await q.query<{ offsetMs: number }>(
    'UPDATE sandbox_clock SET offset_ms = offset_ms + $1 WHERE id = 1 RETURNING offset_ms AS "offsetMs"',
    [deltaMs],
  );
  return rows[0]!.offsetMs;
}
