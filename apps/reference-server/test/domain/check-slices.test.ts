import { afterEach, describe, expect, it, vi } from 'vitest';
import { LARGE_CHECKS_AT_ONCE, PLAN_SLICE } from '../../src/domain/contacts.js';
import { PhoneNormalizer } from '../../src/domain/phone.js';
import { useServer } from '../support/harness.js';

const NO_WAIT = { wait: false, forceCheck: false };
const LARGE = 5 * PLAN_SLICE;

const h = useServer();
afterEach(() => vi.restoreAllMocks());

/** A large check reads its numbers a slice per turn of the event loop: other requests go on in between. */
it(`reads a request of ${LARGE} numbers ${PLAN_SLICE} at a time, answering a cached check in between`, async () => {
  const cachedWaId = '16317000000';
  expect(await h.server.checks.check([cachedWaId], { wait: true, forceCheck: false })).toEqual([
    { input: cachedWaId, status: 'valid', wa_id: cachedWaId },
  ]);
  const large = Array.from({ length: LARGE }, (_, i) => `1631${7_000_001 + i}`);
  // known() is each slice's first look at the inputs the check index does not hold (check_inputs and parsing come after it).
  const looked = vi.spyOn(PhoneNormalizer.prototype, 'known');

  const answer = h.server.checks.check(large, NO_WAIT);
  await new Promise((resolve) => setImmediate(resolve));
  expect(looked).toHaveBeenCalledTimes(PLAN_SLICE);
  // Without a promise, while the large one is still being read.
  expect(h.server.checks.check([cachedWaId], NO_WAIT)).toEqual([
    { input: cachedWaId, status: 'valid', wa_id: cachedWaId },
  ]);

  expect(await answer).toEqual(large.map((waId) => ({ input: waId, status: 'processing', wa_id: waId })));
  // The cached number's input is held by the check index since its first check: known() is not asked.
  expect(looked).toHaveBeenCalledTimes(LARGE);
  await h.server.checks.idle();
  expect(await h.server.checks.check(large, NO_WAIT)).toEqual(
    large.map((waId) => ({ input: waId, status: 'valid', wa_id: waId })),
  );
});

it(`works at most ${LARGE_CHECKS_AT_ONCE} large checks at once, the others waiting their turn in order`, async () => {
  const requests = Array.from({ length: LARGE_CHECKS_AT_ONCE + 2 }, (_, r) =>
    Array.from({ length: 2 * PLAN_SLICE }, (_, i) => `1631${7_100_000 + r * 2 * PLAN_SLICE + i}`),
  );
  const looked = vi.spyOn(PhoneNormalizer.prototype, 'known');
  const answers = requests.map((inputs) => h.server.checks.check(inputs, NO_WAIT));
  await new Promise((resolve) => setImmediate(resolve));
  // The first slice of each started check, none of the waiting ones.
  expect(looked.mock.calls.map(([input]) => input)).toEqual(
    requests.slice(0, LARGE_CHECKS_AT_ONCE).flatMap((inputs) => inputs.slice(0, PLAN_SLICE)),
  );
  const results = await Promise.all(answers);
  expect(results).toEqual(
    requests.map((inputs) => inputs.map((waId) => ({ input: waId, status: 'processing', wa_id: waId }))),
  );
  await h.server.checks.idle();
});

describe('large checks waiting for their turn', () => {
  const QUEUE_MAX = 10_000;
  const small = useServer({ env: { WA_CHECK_QUEUE_MAX: String(QUEUE_MAX) } });
  const WAIT = { wait: true, forceCheck: false };

  it(`refuses a large check (429, 1015) once the numbers waiting would pass WA_CHECK_QUEUE_MAX, and takes one again when they are through`, async () => {
    const perRequest = 2 * PLAN_SLICE;
    const fits = LARGE_CHECKS_AT_ONCE + QUEUE_MAX / perRequest;
    const requests = Array.from({ length: fits + 1 }, (_, r) =>
      Array.from({ length: perRequest }, (_, i) => `1632${1_000_000 + r * perRequest + i}`),
    );
    const answers = requests.slice(0, fits).map((inputs) => small.server.checks.check(inputs, WAIT));
    // The first ones have their turns (the limiter starts them after this tick): the rest wait, the bound exactly.
    await new Promise((resolve) => setImmediate(resolve));
    const refused = await (small.server.checks.check(requests[fits]!, WAIT) as Promise<unknown>).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ statusCode: 429, code: 1015 });
    expect((refused as { headers: Record<string, string> }).headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    const results = await Promise.all(answers);
    expect(results.map((r) => r.length)).toEqual(Array(fits).fill(perRequest));
    const again = await small.server.checks.check(requests[fits]!, WAIT);
    expect(again.map((r) => r.status)).toEqual(Array(perRequest).fill('valid'));
  }, 120_000);
});
