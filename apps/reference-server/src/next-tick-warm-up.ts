/**
 * Node's HTTP and stream code calls process.nextTick about five times per request. In about
 * one server process in three (PGlite or PostgreSQL alike, and in every one after an
 * fs.promises.cp at start-up), each of those calls built its tick object through V8's runtime
 * (Runtime_DefineKeyedOwnPropertyInLiteral, JSObject::MigrateToMap, seen with perf) for the
 * life of the process: a cached one-number check cost about 40 µs of CPU instead of 33.
 *
 * Calling it ten thousand times first, before the start-up's file, database and crypto work,
 * left no process in that state (15 starts in a row, PGlite and PostgreSQL, and 2 more with
 * the fs.promises.cp put back; about 1,000 calls were not enough). Our reading, not verified
 * inside V8: V8 settles nextTick's code and its tick object's shape on these uniform calls,
 * before the start-up's varied ones.
 * It costs a few milliseconds once.
 */
export const WARM_UP_TICKS = 10_000;

/** Queues `count` empty process.nextTick callbacks; resolves once they have all run. */
export async function warmUpNextTick(count = WARM_UP_TICKS): Promise<number> {
  let ran = 0;
  const tick = (): void => {
    ran++;
  };
  for (let i = 0; i < count; i++) process.nextTick(tick);
  await new Promise<void>((resolve) => setImmediate(resolve));
  return ran;
}
