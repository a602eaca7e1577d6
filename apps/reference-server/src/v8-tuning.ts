import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a server process that runs PGlite, whose WebAssembly PostgreSQL shares the
 * process's memory with Node (pnpm bench, 30 s soak, peak RSS of the PGlite server: 471 MB
 * without them, 324 MB with both; the PostgreSQL server does not need them):
 *
 * - `--liftoff-only`: PGlite's 9 MB module stays on V8's baseline WebAssembly compiler.
 *   Optimising its hot functions with TurboFan costs tens of MB of compiler memory that
 *   malloc keeps after it is freed (about 90 MB of RSS at idle), for queries that run
 *   10 to 30 % faster. Cached checks never reach the database and do not change.
 * - `--heap-growing-percent=50`: a major GC when the JS heap has grown by half its live size,
 *   where V8 would let it grow up to four times before collecting. No measurable cost on the
 *   1-number check (side by side, same CPU per request).
 *
 * Set at start-up, before PGlite compiles its module: both are read when used, the first when
 * a module is compiled and the second after each major GC.
 */
export const PGLITE_V8_FLAGS: readonly string[] = ['--liftoff-only', '--heap-growing-percent=50'];

/** `--no-liftoff_only=x` → `liftoff-only`: V8 takes `_` for `-` and `--no-` to negate. */
const flagName = (flag: string): string =>
  flag.replace(/^--?/, '').replace(/^no-/, '').split('=')[0]!.replaceAll('_', '-');

/** The flags of PGLITE_V8_FLAGS not already set (either way) on the command line or in NODE_OPTIONS. */
export function pgliteV8Flags(given: readonly string[]): string[] {
  const named = new Set(given.filter((arg) => arg.startsWith('-')).map(flagName));
  return PGLITE_V8_FLAGS.filter((flag) => !named.has(flagName(flag)));
}

/** Applies pgliteV8Flags to this process; returns what it set. */
export function tuneV8ForPglite(
  given: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)],
): string[] {
  const flags = pgliteV8Flags(given);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
