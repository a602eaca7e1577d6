import type { RunningServer } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport, type ApiClient } from '../support/api-client.js';
import { TEST_PASSWORD, login, sandboxHelpers } from '../support/harness.js';
import { ensureBuilt, startServerProcess } from '../support/process-server.js';
import { eachStorage, pgliteDir, postgres } from '../support/storage-targets.js';
import { startReceiver, type Receiver } from './receiver.js';

/**
 * The outbox at the process level (node dist/main.js, real HTTP): pending callbacks survive
 * kill -9 when persisted and not otherwise; two instances on one PostgreSQL deliver each
 * callback once and lose none when one of them dies.
 */

const TIMEOUT = 180_000;
const STEP = 60_000;

const running = new Set<RunningServer>();
const receivers = new Set<Receiver>();
beforeAll(() => ensureBuilt(), TIMEOUT);
afterAll(async () => {
  // Only the processes this file started, each by its own handle.
  for (const server of running) server.kill('SIGKILL');
  await Promise.all([...running].map((s) => s.exited));
  await Promise.all([...receivers].map((r) => r.close()));
});

interface Instance {
  server: RunningServer;
  api: ApiClient;
}

async function start(env: Record<string, string>): Promise<Instance> {
  const server = await startServerProcess({ ...env, WA_ADMIN_PASSWORD: TEST_PASSWORD, WA_RATE_LIMIT: 'off' });
  running.add(server);
  void server.exited.then(() => running.delete(server));
  const api = createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
  api.token = await login(api, 'admin', TEST_PASSWORD);
  return { server, api };
}

async function receiver(answer?: Parameters<typeof startReceiver>[0], port?: number): Promise<Receiver> {
  const r = await startReceiver(answer, port);
  receivers.add(r);
  return r;
}

async function settings(api: ApiClient, body: Record<string, unknown>): Promise<void> {
  const res = await api.call('updateApplicationSettings', { body } as never);
  expect(res.status, res.text).toBe(200);
}

async function kill(instance: Instance): Promise<void> {
  instance.server.kill('SIGKILL');
  expect((await instance.server.exited).signal).toBe('SIGKILL');
}

/** The ids of the inbound messages called back, in arrival order. */
const messageIds = (r: Receiver) =>
  r.received.map((c) => (c.body as { messages: Array<{ id: string }> }).messages[0]!.id);

/** A free loopback port: a receiver that is closed again at once (connections to it are refused). */
async function closedPort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return Number(new URL(r.url).port);
}

/** Until the log shows count callbacks of which `attempted` (the oldest of each contact) failed once (bounded). */
async function headsAttempted(api: ApiClient, count: number, attempted: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await api.call('listWebhookCallbacks');
    const callbacks = (res.body as { callbacks: Array<{ attempts: unknown[] }> }).callbacks;
    if (callbacks.length === count && callbacks.filter((c) => c.attempts.length > 0).length === attempted) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${attempted} of ${count} callbacks were not attempted within 10 s`);
}

/** Until no callback has come in for quietMs (bounded): late duplicates would show by then. */
async function settle(r: Receiver, quietMs = 1_500, limitMs = 15_000): Promise<void> {
  const end = Date.now() + limitMs;
  let seen = -1;
  while (seen !== r.received.length && Date.now() < end) {
    seen = r.received.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

eachStorage([pgliteDir, postgres], (target) => {
  it(
    'kill -9 with pending callbacks: persisted ones go out after the restart; with callback_persist false none does',
    async () => {
      const storage = await target.create();
      try {
        const port = await closedPort();
        const first = await start(storage.env);
        await settings(first.api, {
          webhooks: { url: `http://127.0.0.1:${port}/webhook` },
          callback_backoff_delay_ms: STEP,
        });
        const sandbox = sandboxHelpers(first.api);
        const persisted = ['16315554001', '16315554002', '16315554003'];
        for (const [i, waId] of persisted.entries()) {
          await sandbox.inbound(waId, { id: `kept-${i}-a` });
          await sandbox.inbound(waId, { id: `kept-${i}-b` });
        }
        await settings(first.api, { callback_persist: false });
        await sandbox.inbound('16315554009', { id: 'memory-only' });
        // Killed once the oldest callback of each contact failed: none in flight, whose lease would hold it for seconds.
        await headsAttempted(first.api, 7, 4);
        await kill(first);

        const r = await receiver(() => 200, port);
        const second = await start(storage.env);
        const moved = await second.api.call('advanceClock', { body: { advance_ms: STEP } });
        expect(moved.status, moved.text).toBe(200);
        await r.waitFor(6, 20_000);
        await settle(r);
        const ids = messageIds(r);
        expect([...ids].sort()).toEqual(['kept-0-a', 'kept-0-b', 'kept-1-a', 'kept-1-b', 'kept-2-a', 'kept-2-b']);
        for (const i of [0, 1, 2]) expect(ids.indexOf(`kept-${i}-a`)).toBeLessThan(ids.indexOf(`kept-${i}-b`));
        expect(await second.server.stop()).toEqual({ code: 0, signal: null });
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});

eachStorage([pgliteDir, postgres], (target) => {
  it(
    'kill -9 in the middle of a run loses nothing: the run, unrecorded, goes out again from its head, in order',
    async () => {
      const storage = await target.create();
      try {
        // 5 s: a dead instance's lease (11 s) ends within the wait below, and no POST times out on a loaded machine (1 s did, the first ones after start).
        const env = { ...storage.env, WA_WEBHOOK_TIMEOUT_MS: '5000' };
        const port = await closedPort();
        const first = await start(env);
        await settings(first.api, {
          webhooks: { url: `http://127.0.0.1:${port}/webhook` },
          callback_backoff_delay_ms: STEP,
        });
        for (let i = 0; i < 5; i++) await sandboxHelpers(first.api).inbound('16315557001', { id: `run-${i}` });
        // The head failed (refused): the five go out as one run once the clock passes its back-off.
        await headsAttempted(first.api, 5, 1);
        // The run's third POST hangs: the instance dies with two POSTed and nothing recorded.
        const r = await receiver((n) => (n === 2 ? 'hang' : 200), port);
        const moved = await first.api.call('advanceClock', { body: { advance_ms: STEP } });
        expect(moved.status, moved.text).toBe(200);
        await r.waitFor(3, 20_000);
        expect(messageIds(r)).toEqual(['run-0', 'run-1', 'run-2']);
        await kill(first);
        r.release();
        r.received.length = 0;
        r.answer = () => 200;
        // The dead instance's lease ends by itself (real time): then the run goes out again from its head.
        const second = await start(env);
        await r.waitFor(5, 30_000);
        await settle(r);
        expect(messageIds(r)).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4']);
        const log = await second.api.call('listWebhookCallbacks');
        const attempts = (
          log.body as { callbacks: Array<{ attempts: Array<{ attempt: number; http_status?: number }> }> }
        ).callbacks.map((c) => c.attempts.map((a) => [a.attempt, a.http_status ?? null]));
        // Newest first; the POSTs the dead instance never recorded are not in the log.
        expect(attempts).toEqual([
          [[1, 200]],
          [[1, 200]],
          [[1, 200]],
          [[1, 200]],
          [
            [1, null],
            [2, 200],
          ],
        ]);
        expect(await second.server.stop()).toEqual({ code: 0, signal: null });
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});

eachStorage([postgres], (target) => {
  it(
    'two instances on one PostgreSQL deliver each callback once, lose none when one dies, and both cut the log',
    async () => {
      const storage = await target.create();
      try {
        // A log of 10: both instances delete delivered callbacks while they deliver the others.
        // No POST times out on a loaded machine (a timeout's retry waits the 60 s back-off): 1 s did, the first ones after start.
        const env = { ...storage.env, WA_WEBHOOK_TIMEOUT_MS: '5000', WA_WEBHOOK_LOG_KEEP: '10' };
        const r = await receiver();
        const a = await start(env);
        const b = await start(env);
        await settings(a.api, { webhooks: { url: r.url }, callback_backoff_delay_ms: STEP });
        const send = (i: number, via: Instance, tag: string) =>
          sandboxHelpers(via.api).inbound(`163155550${String(i % 20).padStart(2, '0')}`, { id: `${tag}-${i}` });
        await Promise.all(Array.from({ length: 60 }, (_, i) => send(i, i % 2 ? a : b, 'normal')));
        await r.waitFor(60, 30_000);
        await settle(r);
        const ids = messageIds(r);
        expect(ids).toHaveLength(60);
        expect(new Set(ids).size).toBe(60);
        expect(r.maxInFlight()).toBeLessThanOrEqual(6);

        // The receiver fails everything for now: every callback waits in the back-off when a dies.
        r.received.length = 0;
        r.answer = () => 503;
        await Promise.all(Array.from({ length: 20 }, (_, i) => send(i, i % 2 ? a : b, 'orphan')));
        await r.waitFor(20, 30_000);
        await kill(a);
        r.answer = () => 200;
        r.received.length = 0;
        const moved = await b.api.call('advanceClock', { body: { advance_ms: STEP } });
        expect(moved.status, moved.text).toBe(200);
        await r.waitFor(20, 30_000);
        await settle(r);
        expect([...new Set(messageIds(r))].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `orphan-${i}`).sort());
        // The log, cut once a second: the newest 10 of the 80 callbacks, all delivered.
        let log: Array<{ delivered_at: number | null; payload: { messages: Array<{ id: string }> } }> = [];
        for (let i = 0; i < 50; i++) {
          const res = await b.api.call('listWebhookCallbacks');
          log = (res.body as { callbacks: typeof log }).callbacks;
          if (log.length <= 10) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(log).toHaveLength(10);
        expect(log.filter((c) => c.delivered_at === null)).toEqual([]);
        // The newest 10 were queued in the second round.
        const logged = log.map((c) => c.payload.messages[0]!.id);
        expect(logged.filter((id) => !id.startsWith('orphan-'))).toEqual([]);
        expect(new Set(logged).size).toBe(10);
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );

  it(
    'a change of webhooks.url on one instance takes effect on the other within a second',
    async () => {
      const storage = await target.create();
      try {
        const first = await receiver();
        const second = await receiver();
        const a = await start(storage.env);
        const b = await start(storage.env);
        await settings(a.api, { webhooks: { url: first.url } });
        const send = (i: number, tag: string) =>
          sandboxHelpers((i % 2 ? a : b).api).inbound(`163155560${String(i % 10).padStart(2, '0')}`, {
            id: `${tag}-${i}`,
          });
        await Promise.all(Array.from({ length: 20 }, (_, i) => send(i, 'before')));
        await first.waitFor(20, 30_000);

        await settings(a.api, { webhooks: { url: second.url } });
        // The bound the settings' notification is held to.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await Promise.all(Array.from({ length: 20 }, (_, i) => send(i, 'after')));
        await second.waitFor(20, 30_000);
        await settle(second);
        expect(messageIds(first).filter((id) => id.startsWith('after'))).toEqual([]);
        expect([...messageIds(second)].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `after-${i}`).sort());
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
