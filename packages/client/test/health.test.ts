import { describe, expect, it } from 'vitest';
import { createContactsClient, WhatsAppApiError } from '../src/index.js';
import { fakeFetch, json, meta } from './support/fake-fetch.js';

describe('health', () => {
  it('sends GET /v1/health with the token and returns the health object', async () => {
    const { fetch, sent } = fakeFetch(() => json(200, { meta, health: { gateway_status: 'connected' } }));
    const client = createContactsClient({ baseUrl: 'http://api.test', fetch, token: 'tok' });
    await expect(client.health()).resolves.toEqual({ gateway_status: 'connected' });
    expect(sent).toEqual([
      { method: 'GET', url: 'http://api.test/v1/health', headers: { authorization: 'Bearer tok' }, body: '' },
    ]);
  });

  it('throws the API error of a refusal', async () => {
    const errors = [{ code: 1005, title: 'Access denied', details: 'Invalid credentials.' }];
    const { fetch } = fakeFetch(() => json(401, { meta, errors }));
    const client = createContactsClient({ baseUrl: 'http://api.test', fetch, token: 'tok' });
    const refusal = await client.health().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WhatsAppApiError);
    expect(refusal).toMatchObject({ status: 401, code: 1005 });
  });
});
