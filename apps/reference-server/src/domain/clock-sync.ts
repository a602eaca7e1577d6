import type { Clock } from '../clock.js';
import { getClockOffset, type Database } from '../storage/index.js';
import { Broadcast } from './broadcast.js';

/** Every instance sharing the database hears each clock move here (payload: the new offset, in ms). */
export const CLOCK_CHANNEL = 'wa_contacts_clock';

/**
 * Makes clock follow every move of the sandbox clock by any instance on this database (each
 * sends its moves through the returned broadcast, see Sandbox.advanceClock), starting from the
 * current offset; after a gap in the notifications the offset is read again.
 */
export async function followClock(
  db: Database,
  clock: Clock,
  instance: string,
  onError: (error: unknown) => void,
): Promise<{ moves: Broadcast; stop: () => Promise<void> }> {
  const moves = new Broadcast(
    db,
    CLOCK_CHANNEL,
    instance,
    (payload) => {
      const offsetMs = payload === null ? NaN : Number(payload);
      if (Number.isSafeInteger(offsetMs)) clock.advanceTo(offsetMs);
      else getClockOffset(db).then((offset) => clock.advanceTo(offset), onError);
    },
    onError,
  );
  const stop = await moves.follow();
  // Listening before the first read: a move committed in between is not missed.
  clock.advanceTo(await getClockOffset(db));
  return { moves, stop };
}
