import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Prism and the reference server (PGlite's start-up) take seconds on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
