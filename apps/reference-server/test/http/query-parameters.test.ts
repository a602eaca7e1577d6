import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

/** Integer query parameters are read as written digits only: Ajv's coercion took "0x10" for 16. */
describe('integer query parameters', () => {
  const h = useServer();

  it.each([
    ['limit=0x10', 'querystring/limit must be integer'],
    ['limit=%20', 'querystring/limit must be integer'],
    ['limit=', 'querystring/limit must be integer'],
    ['limit=+5', 'querystring/limit must be integer'],
    ['limit=1e1', 'querystring/limit must be integer'],
    ['limit=5.0', 'querystring/limit must be integer'],
    ['limit=%205', 'querystring/limit must be integer'],
    ['offset=1e308', 'querystring/offset must be integer'],
    ['offset=0b1', 'querystring/offset must be integer'],
  ])('refuses ?%s with 400/1009', async (query, details) => {
    expectError(await h.api.call('getBlocklist', { rawUrl: `/v1/contacts/blocklist?${query}` }), 400, 1009, details);
  });

  it.each([
    ['limit=16&offset=0', { limit: 16, offset: 0 }],
    ['limit=007', { limit: 7, offset: 0 }],
    ['offset=-0', { limit: 100, offset: 0 }],
    // The spec sets no maximum on offset: a page past the end is empty.
    ['offset=99999999999999999999', { limit: 100, offset: 1e20 }],
    ['', { limit: 100, offset: 0 }],
  ])('reads ?%s as digits', async (query, pagination) => {
    const res = await h.api.call('getBlocklist', { rawUrl: `/v1/contacts/blocklist?${query}` });
    expect(res.status, res.text).toBe(200);
    expect((res.body as { pagination: unknown }).pagination).toEqual({ ...pagination, total: 0 });
  });
});
