import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

describe('sandbox fault injection', () => {
  const h = useServer();

  it('fails the next calls of the operation with 500/1014, then serves it again', async () => {
    const armed = await h.api.call('injectFault', { body: { operation_id: 'getBlocklist', count: 2 } });
    expect(armed.status).toBe(200);
    expect(armed.body).toMatchObject({ operation_id: 'getBlocklist', count: 2 });

    // Other operations are not affected.
    expect((await h.api.call('getApplicationSettings')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expectError(await h.api.call('getBlocklist'), 500, 1014, 'Internal error. Please try again later.');
    }
    expect((await h.api.call('getBlocklist')).status).toBe(200);
  });

  it('checks credentials first: an unauthenticated call gets 401 and does not use the fault up', async () => {
    await h.api.call('injectFault', { body: { operation_id: 'checkContacts' } });
    expectError(await h.api.call('checkContacts', { token: null, body: { contacts: ['+16315551000'] } }), 401, 1005);
    expectError(await h.api.call('checkContacts', { body: { contacts: ['+16315551000'] } }), 500, 1014);
    expect((await h.api.call('checkContacts', { body: { contacts: ['+16315551000'] } })).status).toBe(200);
  });

  it('clears pending faults with count 0, and refuses unknown operations', async () => {
    await h.api.call('injectFault', { body: { operation_id: 'getIdentity', count: 5 } });
    await h.api.call('injectFault', { body: { operation_id: 'getIdentity', count: 0 } });
    expect((await h.api.call('getIdentity', { params: { wa_id: '16315551000' } })).status).toBe(200);
    expectError(
      await h.api.call('injectFault', { body: { operation_id: 'sendLetter' } }),
      400,
      1009,
      'Unknown operation_id sendLetter: use an operationId of the contacts API or the sandbox.',
    );
    expectError(await h.api.call('injectFault', { body: { operation_id: 'injectFault' } }), 400, 1009);
  });
});
