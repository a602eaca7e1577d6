import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The quick run starts real servers (PGlite's start-up alone takes seconds on a busy machine).
    testTimeout: 600_000,
    hookTimeout: 120_000,
    benchmark: { include: ['micro/**/*.bench.ts'] },
  },
});
