import type { RunningServer } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport, type ApiClient } from './api-client.js';
import { TEST_PASSWORD, login } from './harness.js';
import { ensureBuilt, startServerProcess } from './process-server.js';

export interface LiveServer {
  server: RunningServer;
  /** Logged in as admin with TEST_PASSWORD. */
  api: ApiClient;
}

/**
 * For files that start several `node dist/main.js` at once (concurrency over real HTTP):
 * builds first if needed; each started process is stopped (SIGTERM, background checks
 * finished) by the test through stop(), or killed after the file.
 */
export function useLiveServers(): (env: Record<string, string>) => Promise<LiveServer> {
  const running = new Set<RunningServer>();
  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(async () => {
    // Only the processes this file started, each by its own handle.
    for (const server of running) server.kill('SIGKILL');
    await Promise.all([...running].map((s) => s.exited));
  });
  return async (env) => {
    // Rate limits would turn a load into 429s: these tests are about the storage underneath.
    const fullEnv = { WA_ADMIN_PASSWORD: TEST_PASSWORD, WA_RATE_LIMIT: 'off', ...env };
    const server = await startServerProcess(fullEnv);
    running.add(server);
    void server.exited.then(() => running.delete(server));
    const api = createApiClient(fetchTransport(server.url), { version: loadConfig(fullEnv).apiVersion });
    api.token = await login(api, 'admin', TEST_PASSWORD);
    return { server, api };
  };
}

/** `count` distinct valid US numbers 1631555xxxx from `start` (all on WhatsApp in the sandbox). */
export function numbers(start: number, count: number): string[] {
  if (start + count > 10_000) throw new Error('only 10,000 numbers 1631555xxxx');
  return Array.from({ length: count }, (_, i) => `1631555${String(start + i).padStart(4, '0')}`);
}

/** Server log records at level error (pino level 50) and above. */
export function errorRecords(server: RunningServer): Array<Record<string, unknown>> {
  return server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => typeof r.level === 'number' && r.level >= 50);
}

/** Counts values: { "200": 12, "500": 3 }. */
export function tally(statuses: ReadonlyArray<number | string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

export function expectAll200(statuses: readonly number[], what: string): void {
  expect(tally(statuses), what).toEqual({ 200: statuses.length });
}
