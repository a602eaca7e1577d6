import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reference server (PGlite in memory, migrations) takes a few seconds to start.
    hookTimeout: 60_000,
    testTimeout: 180_000,
  },
});
