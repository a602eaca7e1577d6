import { operationRoutes } from '@wa-contacts/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { urlFor, type AnyOperationId, type CallOptions } from '../support/api-client.js';
import { expectError } from '../support/errors.js';
import { START_TIMEOUT, login, startServer, type Harness } from '../support/harness.js';

type ApiOperation = keyof typeof operationRoutes;

/** The URL of an operation with a slash after the path, before any query. */
function slashed(operationId: AnyOperationId, params?: Record<string, string>, query?: CallOptions['query']): string {
  const [path, search] = urlFor(operationId, params, query).split('?');
  return search === undefined ? `${path}/` : `${path}/?${search}`;
}

/** Meta's own clients (its Postman collection: `POST {{URL}}/v1/contacts/`) add a trailing slash. */
describe('trailing slashes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  }, START_TIMEOUT);
  afterAll(() => h?.close());

  // Each request of an operation, sent twice (without, then with the slash) on fresh state.
  const requests: Record<ApiOperation, (number: string) => Promise<CallOptions>> = {
    login: async () => ({ basic: { username: 'admin', password: h.password } }),
    logout: async () => ({ token: await login(h.api, 'admin', h.password) }),
    checkContacts: async (n) => ({ body: { blocking: 'wait', contacts: [`+${n}`] } }),
    getIdentity: async (n) => {
      await h.sandbox.register(n);
      return { params: { wa_id: n } };
    },
    acknowledgeIdentity: async (n) => ({ params: { wa_id: n }, body: { hash: (await h.sandbox.register(n)).hash } }),
    blockContact: async (n) => {
      await h.sandbox.register(n);
      await h.sandbox.inbound(n);
      return { params: { phone_number: n }, body: {} };
    },
    unblockContact: async (n) => ({ params: { phone_number: n } }),
    reportContact: async (n) => {
      await h.sandbox.register(n);
      await h.sandbox.inbound(n);
      return { params: { phone_number: n }, body: { reason: 'spam' } };
    },
    getBlocklist: async () => ({ query: { limit: 10, offset: 0 } }),
    getApplicationSettings: async () => ({}),
    updateApplicationSettings: async () => ({ body: { show_security_notifications: true } }),
    resetApplicationSettings: async () => ({}),
    health: async () => ({}),
  };
  let next = 3000;

  it.each(Object.keys(operationRoutes) as ApiOperation[])(
    'answers %s with a trailing slash as without it',
    async (operationId) => {
      const statuses: number[] = [];
      for (const withSlash of [false, true]) {
        const options = await requests[operationId](`1631555${next++}`);
        const rawUrl = withSlash ? slashed(operationId, options.params, options.query) : undefined;
        const res = await h.api.call(operationId, { ...options, ...(rawUrl ? { rawUrl } : {}) });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200]);
    },
  );

  it('answers a wrong method on a path with a trailing slash with 405 and the Allow of the path', async () => {
    const res = await h.api.unrouted('GET', '/v1/contacts/');
    expectError(res, 405, 1006, 'GET is not allowed on /v1/contacts/; use POST.');
    expect(res.headers.allow).toBe('POST');
  });

  it('answers a path with two trailing slashes as unknown (404)', async () => {
    expectError(await h.api.unrouted('POST', '/v1/contacts//', { body: { contacts: ['16315551000'] } }), 404, 1006);
    expectError(await h.api.unrouted('GET', '/v1/contacts/blocklist//'), 404, 1006);
  });
});

describe('trailing slashes and rate limits', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it(
    'counts a path with and without the trailing slash in one bucket',
    async () => {
      const now = 1_000;
      h = await startServer({ env: { WA_RATE_LIMIT: 'on' }, rateLimitClock: () => now });
      const seen: number[] = [];
      for (let i = 0; i < 60; i++) {
        const rawUrl = i % 2 === 0 ? '/v1/settings/application' : '/v1/settings/application/';
        seen.push((await h.api.call('getApplicationSettings', { rawUrl })).status);
      }
      expect(seen).toEqual(Array<number>(60).fill(200));
      expectError(
        await h.api.call('getApplicationSettings', { rawUrl: '/v1/settings/application/' }),
        429,
        1015,
        'Too many requests to GET /v1/settings/application. Try again in 1 second.',
      );
    },
    START_TIMEOUT,
  );
});
