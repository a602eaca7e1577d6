import { describe, expect, it } from 'vitest';
import { DAY_MS, numberSequence, useServer } from '../support/harness.js';

type Entry = { input: string; status: string; wa_id?: string };

/** The 7-day cache, seen through v2.41 semantics (the only ones that tell valid from invalid). */
describe('POST /v1/contacts: the 7-day cache', () => {
  const h = useServer({ env: { WA_API_VERSION: '2.41' } });
  const next = numberSequence();

  async function check(
    waId: string,
    options: { blocking?: 'wait' | 'no_wait'; force_check?: boolean },
  ): Promise<Entry> {
    const res = await h.api.call('checkContacts', { body: { contacts: [waId], ...options } });
    expect(res.status, res.text).toBe(200);
    return (res.body as { contacts: Entry[] }).contacts[0]!;
  }
  const valid = (waId: string) => ({ input: waId, status: 'valid', wa_id: waId });
  const invalid = (waId: string) => ({ input: waId, status: 'invalid' });

  it('keeps answering valid from the cache after the account is deleted, with wait and with no_wait', async () => {
    const waId = next();
    expect(await check(waId, { blocking: 'wait' })).toEqual(valid(waId));
    await h.sandbox.deleteAccount(waId);
    expect(await check(waId, { blocking: 'wait' })).toEqual(valid(waId));
    expect(await check(waId, { blocking: 'no_wait' })).toEqual(valid(waId));
    expect(await check(waId, { blocking: 'wait', force_check: false })).toEqual(valid(waId));
  });

  it('answers invalid with force_check: true, and caches that answer', async () => {
    const waId = next();
    expect(await check(waId, { blocking: 'wait' })).toEqual(valid(waId));
    await h.sandbox.deleteAccount(waId);
    expect(await check(waId, { blocking: 'wait', force_check: true })).toEqual(invalid(waId));
    // Re-registering does not show until the cache is bypassed again.
    await h.sandbox.register(waId);
    expect(await check(waId, { blocking: 'wait' })).toEqual(invalid(waId));
    expect(await check(waId, { blocking: 'wait', force_check: true })).toEqual(valid(waId));
  });

  it('re-checks in the background with force_check and no_wait: processing, then the new result', async () => {
    const waId = next();
    expect(await check(waId, { blocking: 'wait' })).toEqual(valid(waId));
    await h.sandbox.deleteAccount(waId);
    expect(await check(waId, { blocking: 'no_wait', force_check: true })).toEqual({
      input: waId,
      status: 'processing',
      wa_id: waId,
    });
    await h.server.checks.idle();
    expect(await check(waId, { blocking: 'no_wait' })).toEqual(invalid(waId));
  });

  it('forgets a result 7 days + 1 ms after the check, and not before', async () => {
    const waId = next();
    const before = h.now();
    expect(await check(waId, { blocking: 'wait' })).toEqual(valid(waId));
    const checkedBy = h.now();
    await h.sandbox.deleteAccount(waId);

    // Still fresh one minute before the 7 days are over.
    const almost = await h.sandbox.advanceClock(7 * DAY_MS - 60_000);
    expect(almost - before).toBeLessThan(7 * DAY_MS);
    expect(await check(waId, { blocking: 'wait' })).toEqual(valid(waId));

    // Move to exactly 7 days + 1 ms after the latest moment the check can have been made.
    const now = h.now();
    const stale = await h.sandbox.advanceClock(checkedBy + 7 * DAY_MS + 1 - now);
    expect(stale - checkedBy).toBeGreaterThan(7 * DAY_MS);
    expect(await check(waId, { blocking: 'no_wait' })).toEqual({ input: waId, status: 'processing', wa_id: waId });
    await h.server.checks.idle();
    expect(await check(waId, { blocking: 'no_wait' })).toEqual(invalid(waId));
  });

  it('forgets a result after 7 days + 1 ms with blocking: wait too', async () => {
    const waId = next();
    expect(await check(waId, { blocking: 'wait' })).toEqual(valid(waId));
    const checkedBy = h.now();
    await h.sandbox.deleteAccount(waId);
    await h.sandbox.advanceClock(checkedBy + 7 * DAY_MS + 1 - h.now());
    expect(await check(waId, { blocking: 'wait' })).toEqual(invalid(waId));
  });
});
