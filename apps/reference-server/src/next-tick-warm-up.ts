import { executionAsyncResource } from 'node:async_hooks';

/**
 * Node's HTTP and stream code calls process.nextTick about five times per request. In some
 * server processes each of those calls built its tick object through V8's runtime
 * (Runtime_DefineKeyedOwnPropertyInLiteral, JSObject::MigrateToMap, seen with perf) for the
 * life of the process: a cached one-number check cost about 38 to 40 µs of CPU instead of 32.
 *
 * Two things put a process in that state, and warmUpNextTick answers both:
 *
 * - Varied calls at start-up (about one process in three, and every one after an
 *   fs.promises.cp at start-up): calling it ten thousand times first, before the start-up's
 *   file, database and crypto work, left no process in that state (15 starts in a row; about
 *   1,000 calls were not enough). Our reading: V8 settles nextTick's code and its tick
 *   object's shape on these uniform calls, before the start-up's varied ones.
 * - An idle spell after start-up. Once allocation stops, V8's memory reducer runs full
 *   collections that free the maps (hidden classes) of tick objects when none is alive; the
 *   next requests then took the slow path for good. A PostgreSQL server left idle for 45 s
 *   between start-up and its first requests: 5 of 5 in that state without a kept tick
 *   object, 0 of 4 with one. In the bench harness, four PostgreSQL servers set up one after
 *   another: the third and fourth, idle longest before their set-up, were the slow ones in
 *   each of 7 runs (37 to 40 µs against 32 to 36), and not in the one run with one kept. So
 *   one tick object of each kind (with and without arguments) is kept for the life of the
 *   process, and with it their maps.
 *   `node --no-memory-reducer` also prevents it, but only on the command line.
 *
 * It costs a few milliseconds once.
 */
export const WARM_UP_TICKS = 10_000;

const keptTicks: object[] = [];

/** The tick objects warmUpNextTick keeps alive, for the life of the process. */
export function keptTickObjects(): readonly object[] {
  return keptTicks;
}

/**
 * Queues `count` empty process.nextTick callbacks, and two that keep their tick objects;
 * resolves once they have all run.
 */
export async function warmUpNextTick(count = WARM_UP_TICKS): Promise<number> {
  let ran = 0;
  const tick = (): void => {
    ran++;
  };
  // In a nextTick callback the current async resource is the callback's own tick object.
  const keep = (): void => {
    keptTicks.push(executionAsyncResource());
  };
  process.nextTick(keep);
  process.nextTick(keep, 'with an argument');
  for (let i = 0; i < count; i++) process.nextTick(tick);
  await new Promise<void>((resolve) => setImmediate(resolve));
  return ran;
}
