import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One server for the whole run; each test file gets its URL and credentials through inject().
    globalSetup: ['./global-setup.ts'],
  },
});
