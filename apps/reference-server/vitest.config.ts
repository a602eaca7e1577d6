import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests assert behaviour, never time: 5 s (vitest's default) timed out database-bound tests on a loaded machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
