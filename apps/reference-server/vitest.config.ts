import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

const tests = new URL('test/', import.meta.url);
// V8 12 and later (Node 22+) can abort when PGlite's WebAssembly code is freed beside other isolates
// (`jit_page_->allocations_.erase`, nodejs/node#64500): there, a process per worker, without PKU.
const wasmJitRace = Number(process.versions.node.split('.')[0]) >= 22;
/** Test files that replace a module with vi.mock: a worker cannot replace a module it has already imported, so these get fresh ones. */
const mocking = readdirSync(tests, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && readFileSync(new URL(file, tests), 'utf8').includes('vi.mock('))
  .map((file) => `test/${file.split(sep).join('/')}`);

export default defineConfig({
  test: {
    // Most files wait on child servers and PostgreSQL: two threads even on 2 cores (suite 12.5 → 8.5 min there; a fork per file cost 3 min of CPU).
    pool: wasmJitRace ? 'forks' : 'threads',
    execArgv: wasmJitRace ? ['--no-memory-protection-keys'] : [],
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Tests assert behaviour, never time: 5 s (vitest's default) timed out database-bound tests on a loaded machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      // A worker keeps its modules from file to file: importing them anew for each file took the suite alone from 616 to 768 CPU-s.
      {
        extends: true,
        test: {
          name: 'shared',
          isolate: false,
          include: [...configDefaults.include, ...mocking.map((file) => `!${file}`)],
        },
      },
      { extends: true, test: { name: 'mocking', include: mocking } },
    ],
  },
});
