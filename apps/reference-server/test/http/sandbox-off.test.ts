import { sandboxRoutes } from '@wa-contacts/server';
import { describe, expect, it } from 'vitest';
import { urlFor } from '../support/api-client.js';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

describe('WA_SANDBOX=off', () => {
  const h = useServer({ env: { WA_SANDBOX: 'off' } });

  it.each(Object.entries(sandboxRoutes))('answers 404/1006 on %s', async (operationId, route) => {
    const url = urlFor(operationId as keyof typeof sandboxRoutes, { wa_id: '16315551000', id: '1' });
    const body =
      route.method === 'GET' || route.method === 'DELETE'
        ? {}
        : { body: { advance_ms: 1, from: '16315551000', text: 'hi', to: '16315551000' } };
    const res = await h.api.unrouted(route.method, url, body);
    expectError(res, 404, 1006);
  });

  it('still serves the API', async () => {
    const res = await h.api.call('checkContacts', { body: { contacts: ['16315551000'], blocking: 'wait' } });
    expect(res.status, res.text).toBe(200);
  });
});
