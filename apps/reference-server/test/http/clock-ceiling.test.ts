import type { RunningServer } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport, type ApiClient } from '../support/api-client.js';
import { errorsOf } from '../support/errors.js';
import { DAY_MS, TEST_PASSWORD, login } from '../support/harness.js';
import { ensureBuilt, startServerProcess } from '../support/process-server.js';
import { eachStorage, pgliteDir, postgres } from '../support/storage-targets.js';

/**
 * The sandbox clock stops at 9999-12-24T23:59:59.999Z (a token's expires_after, 7 days later,
 * still has four digits). Simultaneous advances that each fit but together do not must not
 * push it past that, whatever the database.
 */

const LATEST_CLOCK_MS = Date.UTC(9999, 11, 24, 23, 59, 59, 999);
const MAX_ADVANCE_MS = 3_153_600_000_000; // the spec's maximum of advance_ms
// Small steps: the 4 that fit move the clock less than a token's 7 days, so every request stays authenticated.
const ROOM_MS = 3.5 * DAY_MS;
const STEP_MS = 0.8 * DAY_MS; // 4 of 16 fit in ROOM_MS
const SIMULTANEOUS = 16;
const EXPIRES_AFTER = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/;
const TIMEOUT = 120_000;

const running = new Set<RunningServer>();
beforeAll(() => ensureBuilt(), TIMEOUT);
afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop()));
});

async function advance(api: ApiClient, ms: number) {
  return api.call('advanceClock', { body: { advance_ms: ms } });
}

eachStorage([pgliteDir, postgres], (target) => {
  it(
    `lets ${SIMULTANEOUS} simultaneous advances move the clock only as far as its ceiling`,
    async () => {
      const storage = await target.create();
      try {
        const env = { ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD };
        const server = await startServerProcess(env);
        running.add(server);
        const api = createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
        api.token = await login(api, 'admin', TEST_PASSWORD);

        // Up to ROOM_MS before the ceiling, one request at a time (the clock keeps running meanwhile).
        for (let i = 0; i < 100; i++) {
          const now = (await advance(api, 0)).body as { now: number };
          const left = LATEST_CLOCK_MS - ROOM_MS - now.now;
          if (left <= 0) break;
          const res = await advance(api, Math.min(left, MAX_ADVANCE_MS));
          expect(res.status, res.text).toBe(200);
          api.token = await login(api, 'admin', TEST_PASSWORD);
        }
        const start = ((await advance(api, 0)).body as { now: number }).now;
        expect(start).toBeGreaterThan(LATEST_CLOCK_MS - ROOM_MS - 60_000);

        const answers = await Promise.all(Array.from({ length: SIMULTANEOUS }, () => advance(api, STEP_MS)));
        const outcomes = answers.map((res) => (res.status === 200 ? 200 : `${res.status}/${errorsOf(res)[0]?.code}`));
        expect(outcomes.filter((o) => o === 200)).toHaveLength(4);
        expect(outcomes.filter((o) => o !== 200)).toEqual(Array(SIMULTANEOUS - 4).fill('400/1009'));

        api.token = await login(api, 'admin', TEST_PASSWORD);
        const final = ((await advance(api, 0)).body as { now: number }).now;
        expect(final).toBeLessThanOrEqual(LATEST_CLOCK_MS);
        expect(final - start).toBeGreaterThanOrEqual(4 * STEP_MS);
        expect(final - start).toBeLessThan(4 * STEP_MS + 60_000);

        // Every later login still states its expiry in the spec's format (the client checks the schema too).
        for (let i = 0; i < 3; i++) {
          const res = await api.call('login', { basic: { username: 'admin', password: TEST_PASSWORD } });
          expect(res.status, res.text).toBe(200);
          expect((res.body as { users: Array<{ expires_after: string }> }).users[0]!.expires_after).toMatch(
            EXPIRES_AFTER,
          );
        }
        expect(await server.stop()).toEqual({ code: 0, signal: null });
        running.delete(server);
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
