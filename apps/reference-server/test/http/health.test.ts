import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { START_TIMEOUT, startServer, type Harness } from '../support/harness.js';

/** GET /v1/health, as the On-Premises client answers it. */
describe('health', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  }, START_TIMEOUT);
  afterAll(() => h?.close());

  it('answers a logged-in client with gateway_status connected and meta', async () => {
    const res = await h.api.call('health');
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { meta: { api_status: 'stable', version: 'v2.45.1' }, health: { gateway_status: 'connected' } },
    });
  });

  it('answers with a trailing slash and the Content-Type Meta’s collection sends on a GET', async () => {
    const res = await h.api.call('health', { rawUrl: '/v1/health/', headers: { 'content-type': 'application/json' } });
    expect(res.status, res.text).toBe(200);
  });

  it('refuses a request without a token, or with an unknown one, with 401/1005', async () => {
    expectError(await h.api.call('health', { token: null }), 401, 1005);
    expectError(await h.api.call('health', { token: 'not-a-token' }), 401, 1005);
  });

  it('answers 500/1014 when the sandbox armed a failure of health', async () => {
    const armed = await h.api.call('injectFault', { body: { operation_id: 'health', count: 1 } });
    expect(armed.status, armed.text).toBe(200);
    expectError(await h.api.call('health'), 500, 1014);
    expect((await h.api.call('health')).status).toBe(200);
  });

  it('answers another method with 405 and Allow: GET', async () => {
    const res = await h.api.unrouted('POST', '/v1/health', { body: {} });
    expectError(res, 405, 1006, 'POST is not allowed on /v1/health; use GET.');
    expect(res.headers.allow).toBe('GET');
  });
});

describe('health under the rate limit', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it(
    'answers the 61st request of a burst with 429/1015, in a bucket of its own',
    async () => {
      const now = 1_000;
      h = await startServer({ env: { WA_RATE_LIMIT: 'on' }, rateLimitClock: () => now });
      const seen: number[] = [];
      for (let i = 0; i < 60; i++) seen.push((await h.api.call('health')).status);
      expect(seen).toEqual(Array<number>(60).fill(200));
      expectError(await h.api.call('health'), 429, 1015, 'Too many requests to GET /v1/health. Try again in 1 second.');
      expect((await h.api.call('getApplicationSettings')).status).toBe(200);
    },
    START_TIMEOUT,
  );
});
