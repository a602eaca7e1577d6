/**
 * The node flags the server runs with (npm start, the bin, startReferenceServer, and test-kit's
 * through the `./node-flags` export; test/start-scripts.test.ts checks the scripts):
 * PGlite's WebAssembly shares the process's memory, and these keep its RSS down (docs/performance.md).
 */
export const NODE_FLAGS: readonly string[] = ['--liftoff-only', '--heap-growing-percent=50', '--max-semi-space-size=4'];

/** Whether this process already runs with every one of them (node's execArgv). */
export function hasNodeFlags(execArgv: readonly string[] = process.execArgv): boolean {
  return NODE_FLAGS.every((flag) => execArgv.includes(flag));
}
