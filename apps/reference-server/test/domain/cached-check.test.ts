import { describe, expect, it } from 'vitest';
import { DAY_MS, numberSequence, useServer } from '../support/harness.js';

const WAIT = { wait: true, forceCheck: false };

/** ContactChecks.check answers without a promise only when the cache holds it all. */
describe.each(['2.41', '2.45.1'])('check() without a promise (v%s)', (version) => {
  const h = useServer({ env: { WA_API_VERSION: version } });
  const next = numberSequence();

  /** check()'s answer when it comes without a promise; undefined, once settled, when it needs one. */
  async function cachedCheck(inputs: string[], options: { wait: boolean; forceCheck: boolean }) {
    const answer = h.server.checks.check(inputs, options);
    if (!(answer instanceof Promise)) return answer;
    await answer;
    return undefined;
  }

  it('has nothing for a number never checked, then the same answer as check(), as an array', async () => {
    const waId = next();
    expect(await cachedCheck([waId], WAIT)).toBeUndefined();
    const checked = await h.server.checks.check([waId], WAIT);
    expect(checked).toEqual([{ input: waId, status: 'valid', wa_id: waId }]);
    const cached = await cachedCheck([waId], WAIT);
    expect(Array.isArray(cached)).toBe(true);
    expect(cached).toEqual(checked);
  });

  it('answers the cached invalid as check() does (invalid up to v2.41, valid after)', async () => {
    const waId = next();
    await h.sandbox.deleteAccount(waId);
    const checked = await h.server.checks.check([waId], { wait: true, forceCheck: true });
    expect(checked).toEqual(
      version === '2.41' ? [{ input: waId, status: 'invalid' }] : [{ input: waId, status: 'valid', wa_id: waId }],
    );
    expect(await cachedCheck([waId], WAIT)).toEqual(checked);
  });

  it('has nothing when one number of the request is not cached, or with force_check', async () => {
    const [known, unknown] = [next(), next()];
    await h.server.checks.check([known], WAIT);
    expect(await cachedCheck([known, unknown], WAIT)).toBeUndefined();
    expect(await cachedCheck([known], { wait: true, forceCheck: true })).toBeUndefined();
    expect(await cachedCheck([known], { wait: false, forceCheck: false })).toEqual([
      { input: known, status: 'valid', wa_id: known },
    ]);
  });

  it('answers inputs that are no phone number at once, in the order given', async () => {
    const waId = next();
    await h.server.checks.check([waId], WAIT);
    expect(await cachedCheck(['abc', waId, 'abc'], WAIT)).toEqual([
      { input: 'abc', status: 'failed' },
      { input: waId, status: 'valid', wa_id: waId },
      { input: 'abc', status: 'failed' },
    ]);
  });

  it('has nothing once the 7 days of a cached answer are over', async () => {
    const waId = next();
    await h.server.checks.check([waId], WAIT);
    await h.sandbox.advanceClock(7 * DAY_MS + 1000);
    expect(await cachedCheck([waId], WAIT)).toBeUndefined();
    expect(await h.server.checks.check([waId], WAIT)).toEqual([{ input: waId, status: 'valid', wa_id: waId }]);
    expect(await cachedCheck([waId], WAIT)).toEqual([{ input: waId, status: 'valid', wa_id: waId }]);
  });
});
