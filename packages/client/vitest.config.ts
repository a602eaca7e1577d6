import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // Prism and the reference server (PGlite in memory, migrations) take a few seconds to start.
    hookTimeout: 60_000,
  },
});
