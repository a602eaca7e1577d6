import { afterEach, describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { START_TIMEOUT, startServer, type Harness } from '../support/harness.js';

/** Per operation token buckets (WA_RATE_LIMIT), on a clock the test moves. */
describe('rate limits', () => {
  let h: Harness | undefined;
  let now = 0;
  const start = async (limit: string) => {
    now = 1_000;
    h = await startServer({ env: { WA_RATE_LIMIT: limit }, rateLimitClock: () => now });
    return h;
  };
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const settings = (server: Harness, token?: string | null) =>
    server.api.call('getApplicationSettings', token === undefined ? {} : { token });
  const statuses = async (server: Harness, count: number) => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await settings(server)).status);
    return seen;
  };

  it(
    'answers the 61st request of a burst with 429/1015 and Retry-After, the default 20/s with bursts to 60',
    async () => {
      const server = await start('on');
      expect(await statuses(server, 60)).toEqual(Array<number>(60).fill(200));
      const refused = await settings(server);
      expectError(refused, 429, 1015, 'Too many requests to GET /v1/settings/application. Try again in 1 second.');
      expect(refused.headers['retry-after']).toBe('1');
    },
    START_TIMEOUT,
  );

  it(
    'limits each operation on its own, and limits requests without credentials before they are authenticated',
    async () => {
      const server = await start('on');
      await statuses(server, 60);
      expectError(await settings(server, null), 429, 1015);
      expectError(await settings(server, 'not-a-token'), 429, 1015);
      const other = await server.api.call('getBlocklist');
      expect(other.status, other.text).toBe(200);
      // Logging in is an operation of its own: the harness's login took one of its 60.
      expect((await server.api.call('login', { basic: { username: 'admin', password: server.password } })).status).toBe(
        200,
      );
    },
    START_TIMEOUT,
  );

  it(
    'lets a request through again once the bucket has refilled one token (50 ms at 20/s)',
    async () => {
      const server = await start('on');
      await statuses(server, 60);
      now += 49;
      expectError(await settings(server), 429, 1015);
      now += 1;
      expect((await settings(server)).status).toBe(200);
      expectError(await settings(server), 429, 1015);
      now += 3_000; // a full bucket again, never more than 60
      expect(await statuses(server, 61)).toEqual([...Array<number>(60).fill(200), 429]);
    },
    START_TIMEOUT,
  );

  it(
    'reads RATE/BURST: 0.5/2 passes 2, then says to retry in 2 seconds',
    async () => {
      const server = await start('0.5/2');
      expect(await statuses(server, 2)).toEqual([200, 200]);
      const refused = await settings(server);
      expectError(refused, 429, 1015, 'Too many requests to GET /v1/settings/application. Try again in 2 seconds.');
      expect(refused.headers['retry-after']).toBe('2');
      now += 1_500;
      expect((await settings(server)).headers['retry-after']).toBe('1');
      now += 500;
      expect((await settings(server)).status).toBe(200);
    },
    START_TIMEOUT,
  );

  it(
    'leaves the sandbox unlimited: it simulates the network, not the node',
    async () => {
      const server = await start('0.5/2');
      for (let i = 0; i < 100; i++) expect((await server.api.call('listReports')).status).toBe(200);
    },
    START_TIMEOUT,
  );

  it(
    'refills every bucket at once with DELETE /sandbox/rate-limits, the clock unmoved',
    async () => {
      const server = await start('0.5/2');
      const blocklist = async () => (await server.api.call('getBlocklist')).status;
      expect(await statuses(server, 3)).toEqual([200, 200, 429]);
      expect([await blocklist(), await blocklist(), await blocklist()]).toEqual([200, 200, 429]);
      const refilled = await server.api.call('refillRateLimits');
      expect(refilled.status, refilled.text).toBe(200);
      expect(refilled.body).toEqual({ meta: { api_status: 'experimental', version: 'v2.45.1' } });
      expect(await statuses(server, 3)).toEqual([200, 200, 429]);
      expect([await blocklist(), await blocklist(), await blocklist()]).toEqual([200, 200, 429]);
    },
    START_TIMEOUT,
  );

  it(
    'never limits with WA_RATE_LIMIT=off, where a refill changes nothing',
    async () => {
      const server = await start('off');
      expect(await statuses(server, 300)).toEqual(Array<number>(300).fill(200));
      expect((await server.api.call('refillRateLimits')).status).toBe(200);
    },
    START_TIMEOUT,
  );
});
