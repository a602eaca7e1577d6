import type { Queryable } from '../database.js';

/** Sandbox time = real time + this offset, in milliseconds. */
export async function getClockOffset(q: Queryable): Promise<number> {
  const rows = await q.query<{ offsetMs: number }>('SELECT offset_ms AS "offsetMs" FROM sandbox_clock WHERE id = 1');
  return rows[0]!.offsetMs; // the migration inserts the single row
}

export interface ClockCeiling {
  /** Real time (without the offset) the caller's clock adds the offset to. */
  realNowMs: number;
  /** The latest sandbox time the move may reach. */
  latestMs: number;
}

/**
 * Moves the sandbox clock by deltaMs in one statement (no lost update) unless that would take it
 * past the ceiling: the bound is part of the UPDATE, so simultaneous moves that each fit cannot
 * pass it together. Returns the new offset, or undefined when the move was refused.
 */
export async function addClockOffset(
  q: Queryable,
  deltaMs: number,
  ceiling: ClockCeiling,
): Promise<number | undefined> {
  const rows = await q.query<{ offsetMs: number }>(
    `UPDATE sandbox_clock SET offset_ms = offset_ms + $1
     WHERE id = 1 AND $2::bigint + offset_ms + $1 <= $3::bigint
     RETURNING offset_ms AS "offsetMs"`,
    [deltaMs, ceiling.realNowMs, ceiling.latestMs],
  );
  return rows[0]?.offsetMs;
}
