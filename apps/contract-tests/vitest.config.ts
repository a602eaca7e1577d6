import { defineConfig } from 'vitest/config';

export default defineConfig({
  // dredd/*.cts (CommonJS for Dredd's hook loader) are TypeScript too, for the tests that import them.
  oxc: { include: /\.(m?ts|cts|[jt]sx)$/ },
});
