import type { RunningServer } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport, type ApiClient } from '../support/api-client.js';
import { allBlocked } from '../support/blocklist.js';
import { TEST_PASSWORD, login, sandboxHelpers } from '../support/harness.js';
import { ensureBuilt, startServerProcess } from '../support/process-server.js';
import { eachStorage, pgliteDir, postgres } from '../support/storage-targets.js';

/**
 * Durability at the process level: the compiled server, over real HTTP, is SIGKILLed while
 * blocks are in flight; every block it answered 200 to must be in the blocklist of the server
 * restarted on the same data.
 */

const ACKS_BEFORE_KILL = 150;
const WORKERS = 6;
const ROUNDS = 2;
const TIMEOUT = 180_000;

const running = new Set<RunningServer>();

beforeAll(() => ensureBuilt(), TIMEOUT);
afterAll(async () => {
  // Only the processes this file started, each by its own handle.
  for (const server of running) server.kill('SIGKILL');
  await Promise.all([...running].map((s) => s.exited));
});

async function start(env: Record<string, string>): Promise<{ server: RunningServer; api: ApiClient }> {
  const server = await startServerProcess(env);
  running.add(server);
  void server.exited.then(() => running.delete(server));
  const api = createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
  api.token = await login(api, 'admin', TEST_PASSWORD);
  return { server, api };
}

/**
 * Workers engage and block fresh numbers until ACKS_BEFORE_KILL blocks are acknowledged, then
 * the server is SIGKILLed with requests still in flight. Returns the acknowledged wa_ids.
 */
async function blockUntilKilled(server: RunningServer, api: ApiClient, round: number): Promise<string[]> {
  const sandbox = sandboxHelpers(api);
  const acked: string[] = [];
  let killed = false;
  let next = 0;
  const worker = async () => {
    while (!killed) {
      // 1631555xxxx are all valid US numbers: 1000 per round, far more than a round needs.
      if (next > 999) throw new Error('round ran out of numbers before the kill');
      const waId = `1631555${round}${String(next++).padStart(3, '0')}`;
      try {
        await sandbox.inbound(waId);
        const res = await api.call('blockContact', {
          params: { phone_number: waId },
          body: { reason: `round ${round}` },
        });
        expect(res.status, res.text).toBe(200);
        acked.push(waId);
      } catch (error) {
        if (killed) return; // a request cut by the kill: neither acknowledged nor refused
        throw error;
      }
      if (acked.length >= ACKS_BEFORE_KILL && !killed) {
        killed = true;
        server.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  expect((await server.exited).signal).toBe('SIGKILL');
  return acked;
}

eachStorage([pgliteDir, postgres], (target) => {
  it(
    `keeps every acknowledged block across ${ROUNDS} kill -9s of node dist/main.js`,
    async () => {
      const storage = await target.create();
      try {
        const env = { ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD };
        const allAcked: string[] = [];
        for (let round = 1; round <= ROUNDS; round++) {
          const { server, api } = await start(env);
          allAcked.push(...(await blockUntilKilled(server, api, round)));
          expect(server.output()).not.toMatch(/Error/);

          const restarted = await start(env);
          const blocked = await allBlocked(restarted);
          expect(allAcked.filter((waId) => !blocked.includes(waId))).toEqual([]);
          expect(new Set(blocked).size).toBe(blocked.length);
          expect(await restarted.server.stop()).toEqual({ code: 0, signal: null });
        }
        expect(allAcked.length).toBeGreaterThanOrEqual(ROUNDS * ACKS_BEFORE_KILL);
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
