import type { Database, Queryable } from '../database.js';
import { notify } from './notifications.js';

/** Every instance sharing the database hears each new offset here (payload: the offset, in ms). */
export const CLOCK_CHANNEL = 'wa_contacts_clock';
/** Each instance confirms there that its clock follows a move: `<instance id> <offset>`. */
export const CLOCK_CONFIRM_CHANNEL = 'wa_contacts_clock_confirm';

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
export async function addClockOffset(q: Queryable, deltaMs: number, ceiling: ClockCeiling): Promise<number | undefined> {
  const rows = await q.query<{ offsetMs: number }>(
    `UPDATE sandbox_clock SET offset_ms = offset_ms + $1
     WHERE id = 1 AND $2::bigint + offset_ms + $1 <= $3::bigint
     RETURNING offset_ms AS "offsetMs"`,
    [deltaMs, ceiling.realNowMs, ceiling.latestMs],
  );
  return rows[0]?.offsetMs;
}


export interface ClockFollower {
  advanceTo(offsetMs: number): void;
  confirmed(instance: string, offsetMs: number): void;
}

/**
 * Makes clock follow every move of the sandbox clock by any instance on this database (each
 * announces its moves on CLOCK_CHANNEL, see Sandbox.advanceClock), starting from the current
 * offset, and confirms each move on CLOCK_CONFIRM_CHANNEL as `instance`; after a gap in the
 * notifications the offset is read again. Returns the function that stops.
 */
export async function followClock(db: Database, clock: ClockFollower, instance: string, onError: (error: unknown) => void): Promise<() => Promise<void>> {
  const stopConfirmations = await db.listen(CLOCK_CONFIRM_CHANNEL, (payload) => {
    const [from, offset] = (payload ?? '').split(' ');
    if (from && Number.isSafeInteger(Number(offset))) clock.confirmed(from, Number(offset));
  });
  // Listening before the first read: a move committed in between is not missed.
  const stopMoves = await db.listen(CLOCK_CHANNEL, (payload) => {
    const offsetMs = payload === null ? NaN : Number(payload);
    if (!Number.isSafeInteger(offsetMs)) {
      getClockOffset(db).then((offset) => clock.advanceTo(offset), onError);
      return;
    }
    clock.advanceTo(offsetMs);
    notify(db, CLOCK_CONFIRM_CHANNEL, `${instance} ${offsetMs}`).catch(onError);
  });
  clock.advanceTo(await getClockOffset(db));
  return async () => {
    await stopMoves();
    await stopConfirmations();
  };
}
