import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError } from '../support/errors.js';
import {
  DAY_MS,
  HOUR_MS,
  START_TIMEOUT,
  TEST_PASSWORD,
  login,
  numberSequence,
  startServer,
  type Harness,
} from '../support/harness.js';

/**
 * The exact edges of the three clocks (24-hour engagement, 7-day cache, 7-day token), with
 * the wall clock frozen (only Date is faked; timers and I/O run normally), so the server's
 * time is exactly the sandbox offset plus a fixed instant and a boundary can be hit to the
 * millisecond.
 */
describe('clock boundaries, to the millisecond', () => {
  let h: Harness;
  const next = numberSequence();
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00.000Z'));
    h = await startServer({ env: { WA_API_VERSION: '2.41' } });
  }, START_TIMEOUT);
  afterAll(async () => {
    await h?.close();
    vi.useRealTimers();
  });

  /** Moves the server clock to exactly `at`. */
  const moveTo = async (at: number) => {
    expect(await h.sandbox.advanceClock(at - h.now())).toBe(at);
  };

  it('stamps identities and token expiries with the server clock exactly', async () => {
    const now = h.now();
    const res = await h.api.call('getIdentity', { params: { wa_id: next() } });
    expect((res.body as { contacts: { created_timestamp: number } }).contacts.created_timestamp).toBe(now);
    const loginRes = await h.api.call('login', { basic: { username: 'admin', password: TEST_PASSWORD } });
    const expected = `${new Date(now + 7 * DAY_MS).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
    expect((loginRes.body as { users: Array<{ expires_after: string }> }).users[0]!.expires_after).toBe(expected);
  });

  it('keeps a contact engaged until 24 hours after its last message: blocked at 24 h - 1 ms, 2048 at 24 h + 1 ms', async () => {
    const [a, b] = [next(), next()];
    const receivedAt = h.now();
    await h.sandbox.inbound(a);
    await h.sandbox.inbound(b);
    await moveTo(receivedAt + 24 * HOUR_MS - 1);
    expect((await h.api.call('blockContact', { params: { phone_number: a } })).status).toBe(200);
    await moveTo(receivedAt + 24 * HOUR_MS + 1);
    expectError(await h.api.call('blockContact', { params: { phone_number: b } }), 400, 2048);
    expectError(await h.api.call('reportContact', { params: { phone_number: b } }), 400, 2048);
  });

  it('serves a check from the cache for exactly 7 days, and checks again at 7 days + 1 ms', async () => {
    const waId = next();
    const checkedAt = h.now();
    const check = async () =>
      (await h.api.call('checkContacts', { body: { contacts: [waId], blocking: 'wait' } })).body as {
        contacts: unknown[];
      };
    expect((await check()).contacts).toEqual([{ input: waId, status: 'valid', wa_id: waId }]);
    await h.sandbox.deleteAccount(waId);
    await moveTo(checkedAt + 7 * DAY_MS);
    expect((await check()).contacts).toEqual([{ input: waId, status: 'valid', wa_id: waId }]);
    await moveTo(checkedAt + 7 * DAY_MS + 1);
    expect((await check()).contacts).toEqual([{ input: waId, status: 'invalid' }]);
  });

  it('accepts a token until 7 days after the login, and refuses it from then on', async () => {
    const issuedAt = h.now();
    const token = await login(h.api, 'admin', TEST_PASSWORD);
    await moveTo(issuedAt + 7 * DAY_MS - 1);
    expect((await h.api.call('getApplicationSettings', { token })).status).toBe(200);
    await moveTo(issuedAt + 7 * DAY_MS);
    expectError(await h.api.call('getApplicationSettings', { token }), 401, 1005);
  });
});
