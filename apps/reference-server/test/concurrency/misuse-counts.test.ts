import type { RunningServer } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport, type ApiClient } from '../support/api-client.js';
import { errorsOf } from '../support/errors.js';
import { DAY_MS, TEST_PASSWORD, login, numberSequence } from '../support/harness.js';
import { ensureBuilt, startServerProcess } from '../support/process-server.js';
import { eachStorage, pgliteDir, postgres } from '../support/storage-targets.js';

/**
 * Meta's misuse rule counted by real server processes under simultaneous requests: one on
 * PGlite, two on one PostgreSQL database. Every number asked of WhatsApp and every send lands
 * in the counts exactly once, every instance shows the same state, and a number disabled
 * through one instance is refused by the other, and reset through either.
 */

const REQUESTS_PER_INSTANCE = 20;
const NUMBERS_PER_REQUEST = 5;
const SENDS = 30;
const TIMEOUT = 180_000;

const running = new Set<RunningServer>();
beforeAll(() => ensureBuilt(), TIMEOUT);
afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop()));
});

async function start(env: Record<string, string>): Promise<ApiClient> {
  const server = await startServerProcess(env);
  running.add(server);
  const api = createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
  api.token = await login(api, 'admin', TEST_PASSWORD);
  return api;
}

const misuseOf = async (api: ApiClient) => {
  const res = await api.call('getMisuse');
  expect(res.status, res.text).toBe(200);
  const { meta: _meta, ...rest } = res.body as Record<string, unknown>;
  return rest;
};

const statusOf = (res: Awaited<ReturnType<ApiClient['call']>>) =>
  res.status === 200 ? 200 : `${res.status}/${errorsOf(res)[0]?.code}`;

eachStorage([pgliteDir, postgres], (target) => {
  const instances = target === postgres ? 2 : 1;
  it(
    `counts ${instances * REQUESTS_PER_INSTANCE} simultaneous checks and ${SENDS} sends exactly, and every instance follows the state`,
    async () => {
      const storage = await target.create();
      try {
        const env = { ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD, WA_MISUSE_POLICY: 'enforce' };
        const apis: ApiClient[] = [];
        for (let i = 0; i < instances; i++) apis.push(await start(env));
        const [a, b] = [apis[0]!, apis.at(-1)!];
        const next = numberSequence();
        const checkNew = (api: ApiClient, count: number) =>
          api.call('checkContacts', { body: { blocking: 'wait', contacts: Array.from({ length: count }, next) } });

        const answers = await Promise.all([
          ...apis.flatMap((api) =>
            Array.from({ length: REQUESTS_PER_INSTANCE }, () => checkNew(api, NUMBERS_PER_REQUEST)),
          ),
          ...Array.from({ length: SENDS }, (_, i) =>
            apis[i % instances]!.call('sendMessage', { body: { to: next() } }),
          ),
        ]);
        expect(answers.map(statusOf)).toEqual(answers.map(() => 200));
        const checked = instances * REQUESTS_PER_INSTANCE * NUMBERS_PER_REQUEST;
        const seen = await Promise.all(apis.map(misuseOf));
        expect(seen[0]).toMatchObject({ checked, sent: SENDS, window_days: 7, state: 'warned' });
        expect(seen).toEqual(apis.map(() => seen[0]));

        // Checked every day, barely messaged: disabled once the 7 days of grace are over.
        const cached = next();
        const cachedCheck = (api: ApiClient) =>
          api.call('checkContacts', { body: { blocking: 'wait', contacts: [cached] } });
        for (let day = 1; day <= 7; day++) {
          const res = await b.call('advanceClock', { body: { advance_ms: DAY_MS } });
          expect(res.status, res.text).toBe(200);
          for (const api of apis) api.token = await login(api, 'admin', TEST_PASSWORD);
          if (day < 7) expect(statusOf(await checkNew(a, 2))).toBe(200);
          // Asked of WhatsApp once (counted once), then in every instance's cache.
          if (day === 6) for (const api of apis) expect(statusOf(await cachedCheck(api))).toBe(200);
        }
        const disabled = await Promise.all(apis.map(misuseOf));
        expect(disabled[0]).toMatchObject({ checked: 13, sent: 0, state: 'disabled' });
        expect(disabled).toEqual(apis.map(() => disabled[0]));
        expect(await Promise.all(apis.map(async (api) => statusOf(await cachedCheck(api))))).toEqual(
          apis.map(() => '403/1031'),
        );

        expect((await b.call('resetMisuse')).status).toBe(200);
        // Right away, before any read of the state: each instance was told of the reset.
        expect(await Promise.all(apis.map(async (api) => statusOf(await cachedCheck(api))))).toEqual(
          apis.map(() => 200),
        );
        expect(await Promise.all(apis.map(misuseOf))).toEqual(
          apis.map(() => ({ checked: 0, sent: 0, window_days: 7, state: 'ok' })),
        );
      } finally {
        await Promise.all([...running].map((s) => s.stop()));
        running.clear();
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
