import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reference server (PGlite's start-up, migrations) takes seconds on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
