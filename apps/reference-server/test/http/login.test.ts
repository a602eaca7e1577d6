import { beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../support/api-client.js';
import { expectError } from '../support/errors.js';
import { DAY_MS, FACTORY, login, NEW_PASSWORD, TEST_PASSWORD, useServer } from '../support/harness.js';
import type { CheckedResponse } from '../support/spec-validator.js';

const SEVEN_DAYS_MS = 7 * DAY_MS;

const tokenOf = (res: CheckedResponse) =>
  (res.body as { users: Array<{ token: string; expires_after: string }> }).users[0]!;

/** expires_after must be the server's clock at login + 7 days, to the second. */
function expectExpiry(expiresAfter: string, before: number, after: number): void {
  expect(expiresAfter).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/);
  const at = Date.parse(expiresAfter.replace(' ', 'T'));
  expect(at).toBeGreaterThanOrEqual(Math.floor((before + SEVEN_DAYS_MS) / 1000) * 1000);
  expect(at).toBeLessThanOrEqual(after + SEVEN_DAYS_MS);
}

describe('factory account (admin/secret)', () => {
  const h = useServer({ login: 'none', env: { WA_ADMIN_PASSWORD: '' } });

  it('refuses the first login without new_password (1024)', async () => {
    const res = await h.api.call('login', { basic: FACTORY });
    expectError(res, 400, 1024);
  });

  it('refuses the first login with an empty JSON object too (1024)', async () => {
    const res = await h.api.call('login', { basic: FACTORY, body: {} });
    expectError(res, 400, 1024);
  });

  it.each([
    ['too short', 'Ab1!'],
    ['no digit', 'No-Digits-Here!'],
    ['no upper case', 'n0-upper-case!'],
    ['no lower case', 'N0-LOWER-CASE!'],
    ['no special character', 'NoSpecial123'],
    ['65 characters', `Aa1!${'x'.repeat(61)}`],
  ])('refuses a weak new_password (%s) with 1009', async (_, weak) => {
    const res = await h.api.call('login', { basic: FACTORY, body: { new_password: weak } });
    expectError(res, 400, 1009);
  });

  it('refuses a wrong password (401/1005) even with a good new_password', async () => {
    const res = await h.api.call('login', {
      basic: { username: 'admin', password: 'not-secret' },
      body: { new_password: NEW_PASSWORD },
    });
    expectError(res, 401, 1005);
  });

  it('sets the new password and returns a token valid for 7 days of the server clock', async () => {
    const before = h.now();
    const res = await h.api.call('login', { basic: FACTORY, body: { new_password: NEW_PASSWORD } });
    const after = h.now();
    expect(res.status, res.text).toBe(200);
    const { token, expires_after } = tokenOf(res);
    expectExpiry(expires_after, before, after);
    const settings = await h.api.call('getApplicationSettings', { token });
    expect(settings.status).toBe(200);
  });

  it('no longer accepts the factory password', async () => {
    expectError(await h.api.call('login', { basic: FACTORY }), 401, 1005);
    expectError(await h.api.call('login', { basic: FACTORY, body: { new_password: 'An0ther-Passw0rd!' } }), 401, 1005);
  });

  it('accepts the new password without asking for another change', async () => {
    const res = await h.api.call('login', { basic: { username: 'admin', password: NEW_PASSWORD } });
    expect(res.status, res.text).toBe(200);
  });

  it('changes the password again on a later login that sends new_password', async () => {
    const third = 'Th1rd-Passw0rd!';
    expect(
      (
        await h.api.call('login', {
          basic: { username: 'admin', password: NEW_PASSWORD },
          body: { new_password: third },
        })
      ).status,
    ).toBe(200);
    expectError(await h.api.call('login', { basic: { username: 'admin', password: NEW_PASSWORD } }), 401, 1005);
    expect((await h.api.call('login', { basic: { username: 'admin', password: third } })).status).toBe(200);
  });
});

describe('configured password (WA_ADMIN_PASSWORD) and tokens', () => {
  const h = useServer({ login: 'none' });
  beforeAll(async () => {
    // For the sandbox clock; the tests below log in on their own.
    h.api.token = await login(h.api, 'admin', TEST_PASSWORD);
  });

  const admin = () => ({ username: 'admin', password: TEST_PASSWORD });

  it('logs in without changing a password the operator configured', async () => {
    const before = h.now();
    const res = await h.api.call('login', { basic: admin() });
    const after = h.now();
    expect(res.status, res.text).toBe(200);
    expectExpiry(tokenOf(res).expires_after, before, after);
  });

  it('gives a different token at each login', async () => {
    const a = tokenOf(await h.api.call('login', { basic: admin() })).token;
    const b = tokenOf(await h.api.call('login', { basic: admin() })).token;
    expect(a).not.toBe(b);
  });

  it('refuses a wrong password, an unknown user and a missing Authorization header with 401/1005', async () => {
    expectError(await h.api.call('login', { basic: { username: 'admin', password: 'Wrong-Passw0rd!' } }), 401, 1005);
    expectError(await h.api.call('login', { basic: { username: 'nobody', password: TEST_PASSWORD } }), 401, 1005);
    expectError(await h.api.call('login', { token: null }), 401, 1005);
    expectError(await h.api.call('login', { headers: { authorization: 'Basic !!!not-base64' } }), 401, 1005);
  });

  it('refuses a bearer token on login and Basic credentials on the API', async () => {
    const token = tokenOf(await h.api.call('login', { basic: admin() })).token;
    expectError(await h.api.call('login', { token }), 401, 1005);
    expectError(await h.api.call('getApplicationSettings', { basic: admin() }), 401, 1005);
  });

  it('refuses API calls without a token, with a garbage token or a malformed header (401/1005)', async () => {
    expectError(await h.api.call('getApplicationSettings', { token: null }), 401, 1005);
    expectError(await h.api.call('getApplicationSettings', { token: 'garbage' }), 401, 1005);
    expectError(await h.api.call('getApplicationSettings', { headers: { authorization: 'Bearer' } }), 401, 1005);
    expectError(await h.api.call('getApplicationSettings', { headers: { authorization: 'Token abc' } }), 401, 1005);
  });

  it('answers 401 before looking at an invalid body', async () => {
    expectError(await h.api.call('checkContacts', { token: null, body: { contacts: 'x', unknown: true } }), 401, 1005);
    expectError(await h.api.call('checkContacts', { token: 'garbage', rawBody: '{not json' }), 401, 1005);
    expectError(
      await h.api.call('login', {
        basic: { username: 'admin', password: 'Wrong-Passw0rd!' },
        body: { new_password: 'weak' },
      }),
      401,
      1005,
    );
    expectError(
      await h.api.call('login', { headers: { authorization: basicAuth('admin', 'nope') }, rawBody: '{not json' }),
      401,
      1005,
    );
  });

  it('still validates the body of a correctly authenticated login (1009)', async () => {
    expectError(await h.api.call('login', { basic: admin(), body: { new_password: 'weak' } }), 400, 1009);
    expectError(await h.api.call('login', { basic: admin(), body: { password: TEST_PASSWORD } }), 400, 1009);
  });

  it('lets a token expire 7 days after the login, by the server clock', async () => {
    const token = tokenOf(await h.api.call('login', { basic: admin() })).token;
    expect((await h.api.call('getApplicationSettings', { token })).status).toBe(200);
    // One minute before the 7 days are over it still works…
    await h.sandbox.advanceClock(SEVEN_DAYS_MS - 60_000);
    expect((await h.api.call('getApplicationSettings', { token })).status).toBe(200);
    // …and not once they are.
    await h.sandbox.advanceClock(60_000);
    expectError(await h.api.call('getApplicationSettings', { token }), 401, 1005);
    expectError(await h.api.call('checkContacts', { token, body: { contacts: ['16315551000'] } }), 401, 1005);
    // The password still works: a new login gives a new token.
    const fresh = tokenOf(await h.api.call('login', { basic: admin() })).token;
    expect((await h.api.call('getApplicationSettings', { token: fresh })).status).toBe(200);
  });
});
