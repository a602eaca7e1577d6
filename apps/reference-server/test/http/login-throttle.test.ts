import { describe, expect, it } from 'vitest';
import { basicAuth } from '../support/api-client.js';
import { expectError } from '../support/errors.js';
import { TEST_PASSWORD, useServer } from '../support/harness.js';

const WRONG = { username: 'admin', password: 'Wrong-Passw0rd!' } as const;

describe('login throttle (WA_RATE_LIMIT on)', () => {
  const h = useServer({ login: 'none', env: { WA_RATE_LIMIT: 'on' } });

  it('answers the 11th wrong password with 429/1015 and Retry-After, and refuses the right one too', async () => {
    for (let i = 0; i < 10; i++) expectError(await h.api.call('login', { basic: WRONG }), 401, 1005);
    const throttled = await h.api.call('login', { basic: WRONG });
    expectError(throttled, 429, 1015, 'Too many failed logins. Try again later.');
    // Whole seconds until the next allowance: 6 at most, less by what refilled while the 10 ran (exact figures: the unit test).
    expect(throttled.headers['retry-after']).toMatch(/^[1-6]$/);
    const right = await h.api.call('login', { basic: { username: 'admin', password: TEST_PASSWORD } });
    expectError(right, 429, 1015);
    expect(right.headers['retry-after']).toMatch(/^[1-6]$/);
  });

  it('throttles the username from another address, but not another username from there', async () => {
    const from = (username: string) =>
      h.server.app.inject({
        method: 'POST',
        url: '/v1/users/login',
        remoteAddress: '10.0.0.2',
        headers: { authorization: basicAuth(username, 'Wrong-Passw0rd!') },
      });
    const admin = await from('admin');
    expect({ status: admin.statusCode, code: admin.json().errors[0].code }).toEqual({ status: 429, code: 1015 });
    expect(admin.headers['retry-after']).toMatch(/^[1-6]$/);
    const other = await from('nobody');
    expect({ status: other.statusCode, code: other.json().errors[0].code }).toEqual({ status: 401, code: 1005 });
  });
});

describe('login throttle (WA_RATE_LIMIT=off)', () => {
  const h = useServer({ login: 'none', env: { WA_RATE_LIMIT: 'off' } });

  it('never throttles', async () => {
    for (let i = 0; i < 15; i++) expectError(await h.api.call('login', { basic: WRONG }), 401, 1005);
    expect((await h.api.call('login', { basic: { username: 'admin', password: TEST_PASSWORD } })).status).toBe(200);
  });
});
