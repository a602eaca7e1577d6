import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Most files wait on child servers and PostgreSQL: two threads even on 2 cores (suite 12.5 → 8.5 min there; a fork per file cost 3 min of CPU).
    pool: 'threads',
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Tests assert behaviour, never time: 5 s (vitest's default) timed out database-bound tests on a loaded machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
