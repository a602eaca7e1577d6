import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { PLAN_SLICE } from '../../src/domain/contacts.js';
import { PhoneNormalizer } from '../../src/domain/phone.js';
import { START_TIMEOUT, startServer, type Harness } from '../support/harness.js';

const NO_WAIT = { wait: false, forceCheck: false };
const LARGE = 5 * PLAN_SLICE;

let h: Harness;
beforeAll(async () => {
  h = await startServer();
}, START_TIMEOUT);
afterAll(() => h?.close());
afterEach(() => vi.restoreAllMocks());

/** A large check reads its numbers a slice per turn of the event loop: other requests go on in between. */
it(`reads a request of ${LARGE} numbers ${PLAN_SLICE} at a time, answering a cached check in between`, async () => {
  const cachedWaId = '16317000000';
  expect(await h.server.checks.check([cachedWaId], { wait: true, forceCheck: false })).toEqual([{ input: cachedWaId, status: 'valid', wa_id: cachedWaId }]);
  const large = Array.from({ length: LARGE }, (_, i) => `1631${7_000_001 + i}`);
  const normalize = vi.spyOn(PhoneNormalizer.prototype, 'normalize');

  const answer = h.server.checks.check(large, NO_WAIT);
  expect(normalize).toHaveBeenCalledTimes(PLAN_SLICE);
  // Without a promise, while the large one is still being read.
  expect(h.server.checks.check([cachedWaId], NO_WAIT)).toEqual([{ input: cachedWaId, status: 'valid', wa_id: cachedWaId }]);

  expect(await answer).toEqual(large.map((waId) => ({ input: waId, status: 'processing', wa_id: waId })));
  expect(normalize).toHaveBeenCalledTimes(LARGE + 1);
  await h.server.checks.idle();
  expect(await h.server.checks.check(large, NO_WAIT)).toEqual(large.map((waId) => ({ input: waId, status: 'valid', wa_id: waId })));
});
