import type { RunningServer } from '@wa-contacts/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport, type ApiClient } from '../support/api-client.js';
import { errorsOf } from '../support/errors.js';
import { DAY_MS, TEST_PASSWORD, login, numberSequence } from '../support/harness.js';
import { ensureBuilt, startServerProcess } from '../support/process-server.js';
import { eachStorage, postgres } from '../support/storage-targets.js';

/**
 * Two server processes on one PostgreSQL database: a clock move answered by one is in force on
 * the other for the very next request (a token past its 7 days is refused, new identities are
 * stamped with the moved time), also after the other lost its notification connection.
 */

const ROUNDS = 20;
const TIMEOUT = 180_000;

const running = new Set<RunningServer>();
beforeAll(() => ensureBuilt(), TIMEOUT);
afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop()));
});

interface Instance {
  server: RunningServer;
  api: ApiClient;
}

async function start(env: Record<string, string>): Promise<Instance> {
  const server = await startServerProcess(env);
  running.add(server);
  const api = createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
  api.token = await login(api, 'admin', TEST_PASSWORD);
  return { server, api };
}

async function advance(api: ApiClient, ms: number): Promise<number> {
  const res = await api.call('advanceClock', { body: { advance_ms: ms } });
  expect(res.status, res.text).toBe(200);
  return (res.body as { now: number }).now;
}

/** What B says right after A moved the clock 7 days: the status of an old token, the stamp of a new identity. */
async function lookAtB(b: Instance, staleToken: string, waId: string): Promise<{ status: string; createdAt: number }> {
  const res = await b.api.call('getApplicationSettings', { token: staleToken });
  const status = res.status === 200 ? '200' : `${res.status}/${errorsOf(res)[0]?.code}`;
  b.api.token = await login(b.api, 'admin', TEST_PASSWORD);
  const identity = await b.api.call('getIdentity', { params: { wa_id: waId } });
  expect(identity.status, identity.text).toBe(200);
  return {
    status,
    createdAt: (identity.body as { contacts: { created_timestamp: number } }).contacts.created_timestamp,
  };
}

eachStorage([postgres], (target) => {
  it(
    `applies a clock move of one instance on the other for its next request, ${ROUNDS} times in a row`,
    async () => {
      const storage = await target.create();
      try {
        const env = { ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD };
        const [a, b] = [await start(env), await start(env)];
        const next = numberSequence();
        const seen: Array<{ status: string; stampedAfterMove: boolean }> = [];
        for (let round = 0; round < ROUNDS; round++) {
          const staleToken = await login(b.api, 'admin', TEST_PASSWORD);
          const movedTo = await advance(a.api, 7 * DAY_MS);
          const { status, createdAt } = await lookAtB(b, staleToken, next());
          seen.push({ status, stampedAfterMove: createdAt >= movedTo });
          a.api.token = await login(a.api, 'admin', TEST_PASSWORD);
        }
        expect(seen).toEqual(Array(ROUNDS).fill({ status: '401/1005', stampedAfterMove: true }));
        for (const { server } of [a, b]) {
          expect(await server.stop()).toEqual({ code: 0, signal: null });
          running.delete(server);
        }
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );

  it(
    'catches up with a move it missed while its notification connection was cut, and keeps serving',
    async () => {
      const storage = await target.create();
      const admin = new pg.Client({ connectionString: storage.env.DATABASE_URL });
      try {
        const env = { ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD };
        const [a, b] = [await start(env), await start(env)];
        await admin.connect();
        const staleToken = await login(b.api, 'admin', TEST_PASSWORD);
        // Cut B's listening connection (named after its pid), then move the clock on A while B is away.
        const cut = await admin.query(
          'SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE application_name = $1',
          [`wa-contacts listener ${b.server.pid}`],
        );
        expect(cut.rows).toEqual([{ cut: true }]);
        const movedTo = await advance(a.api, 7 * DAY_MS);

        // B reconnects with back-off, then re-reads the offset: bounded wait for it.
        let status = '';
        for (let i = 0; i < 100 && status !== '401/1005'; i++) {
          const res = await b.api.call('getApplicationSettings', { token: staleToken });
          status = res.status === 200 ? '200' : `${res.status}/${errorsOf(res)[0]?.code}`;
          if (status !== '401/1005') await new Promise((r) => setTimeout(r, 100));
        }
        expect(status).toBe('401/1005');
        const { createdAt } = await lookAtB(b, staleToken, '16315552000');
        expect(createdAt).toBeGreaterThanOrEqual(movedTo);

        // The reconnected listener hears later moves at once again.
        const staleAgain = await login(b.api, 'admin', TEST_PASSWORD);
        a.api.token = await login(a.api, 'admin', TEST_PASSWORD);
        await advance(a.api, 7 * DAY_MS);
        expect((await lookAtB(b, staleAgain, '16315552001')).status).toBe('401/1005');
        for (const { server } of [a, b]) {
          expect(await server.stop()).toEqual({ code: 0, signal: null });
          running.delete(server);
        }
      } finally {
        await admin.end();
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
