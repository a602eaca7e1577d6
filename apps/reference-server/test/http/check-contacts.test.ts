import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, numberSequence, START_TIMEOUT, startServer, useServer } from '../support/harness.js';

/** Meta's own request: five spellings of five US numbers, for a business registered in the US. */
const META_REQUEST = ['16315551000', '+1 631 555 1001', '6315551002', '+1 (631) 555-1004', '1-631-555-1005'];
const META_WA_IDS = ['16315551000', '16315551001', '16315551002', '16315551004', '16315551005'];
/** Dialable and of a possible length, but in no assigned range (area codes never start with 0). */
const POSSIBLE_NOT_VALID = { input: '+1 631 055 1000', waId: '16310551000' };

type Entry = { input: string; status: string; wa_id?: string };

async function check(
  h: Harness,
  contacts: string[],
  options: { blocking?: 'wait' | 'no_wait'; force_check?: boolean } = {},
): Promise<Entry[]> {
  const res = await h.api.call('checkContacts', { body: { contacts, ...options } });
  expect(res.status, res.text).toBe(200);
  return (res.body as { contacts: Entry[] }).contacts;
}

const VERSIONS = [
  { version: '2.41', semantics: 'v2.41' as const },
  { version: '2.43', semantics: 'v2.43' as const },
];

describe.each(VERSIONS)('POST /v1/contacts emulating $version', ({ version, semantics }) => {
  const h = useServer({ env: { WA_API_VERSION: version } });
  const next = numberSequence();
  beforeAll(() => {
    expect(h.config.semantics).toBe(semantics);
  });

  /** What a number that has no account answers in this version, once checked. */
  const noAccount = (input: string, waId: string): Entry =>
    semantics === 'v2.41' ? { input, status: 'invalid' } : { input, status: 'valid', wa_id: waId };

  it("answers Meta's five-number request in order, echoing each input, with blocking: wait", async () => {
    const contacts = await check(h, META_REQUEST, { blocking: 'wait' });
    expect(contacts).toEqual(META_REQUEST.map((input, i) => ({ input, status: 'valid', wa_id: META_WA_IDS[i] })));
  });

  it('answers processing (with wa_id) for numbers not cached with no_wait, the default, then final after the background check', async () => {
    const waIds = [next(), next(), next()];
    const inputs = [
      `+${waIds[0]}`,
      waIds[1]!,
      `+1 (${waIds[2]!.slice(1, 4)}) ${waIds[2]!.slice(4, 7)}-${waIds[2]!.slice(7)}`,
    ];
    expect(await check(h, inputs, { blocking: 'no_wait' })).toEqual(
      inputs.map((input, i) => ({ input, status: 'processing', wa_id: waIds[i] })),
    );
    await h.server.checks.idle();
    // blocking left out: no_wait is the default, and the results are cached now.
    expect(await check(h, inputs)).toEqual(inputs.map((input, i) => ({ input, status: 'valid', wa_id: waIds[i] })));
  });

  it('answers final results at once with blocking: wait', async () => {
    const waIds = [next(), next()];
    expect(await check(h, waIds, { blocking: 'wait' })).toEqual(
      waIds.map((waId) => ({ input: waId, status: 'valid', wa_id: waId })),
    );
  });

  it('answers every repeated number: the same one twice, and two spellings of one', async () => {
    const waId = next();
    const local = `(${waId.slice(1, 4)}) ${waId.slice(4, 7)}-${waId.slice(7)}`;
    const inputs = [waId, `+${waId}`, waId, local];
    expect(await check(h, inputs, { blocking: 'no_wait' })).toEqual(
      inputs.map((input) => ({ input, status: 'processing', wa_id: waId })),
    );
    await h.server.checks.idle();
    expect(await check(h, inputs, { blocking: 'no_wait' })).toEqual(
      inputs.map((input) => ({ input, status: 'valid', wa_id: waId })),
    );
  });

  it('answers a cached number alike through a spelling checked before and spellings new to the server', async () => {
    const waId = next();
    expect(await check(h, [waId], { blocking: 'wait' })).toEqual([{ input: waId, status: 'valid', wa_id: waId }]);
    // The first spelling's result is held with the input; the others are parsed now and their number looked up.
    const inputs = [waId, `+${waId}`, `(${waId.slice(1, 4)}) ${waId.slice(4, 7)}-${waId.slice(7)}`, waId];
    expect(await check(h, inputs, { blocking: 'no_wait' })).toEqual(
      inputs.map((input) => ({ input, status: 'valid', wa_id: waId })),
    );
  });

  it('answers failed, without wa_id, for what is no phone number, whatever the blocking', async () => {
    for (const blocking of ['wait', 'no_wait'] as const) {
      expect(await check(h, ['+163155588', 'abc'], { blocking })).toEqual([
        { input: '+163155588', status: 'failed' },
        { input: 'abc', status: 'failed' },
      ]);
    }
  });

  it('keeps the input exactly as sent, spaces included', async () => {
    const waId = next();
    const input = `  +${waId} `;
    expect(await check(h, [input], { blocking: 'wait' })).toEqual([{ input, status: 'valid', wa_id: waId }]);
  });

  it(
    semantics === 'v2.41'
      ? 'answers invalid without wa_id for a deleted account'
      : 'answers valid with wa_id for a deleted account',
    async () => {
      const waId = next();
      await h.sandbox.deleteAccount(waId);
      expect(await check(h, [waId], { blocking: 'wait' })).toEqual([noAccount(waId, waId)]);
    },
  );

  it(
    semantics === 'v2.41'
      ? 'answers processing for a deleted account with no_wait, revealing nothing, then invalid'
      : 'answers processing for a deleted account with no_wait, then valid',
    async () => {
      const waId = next();
      await h.sandbox.deleteAccount(waId);
      expect(await check(h, [waId], { blocking: 'no_wait' })).toEqual([
        { input: waId, status: 'processing', wa_id: waId },
      ]);
      await h.server.checks.idle();
      expect(await check(h, [waId], { blocking: 'no_wait' })).toEqual([noAccount(waId, waId)]);
    },
  );

  it(
    semantics === 'v2.41'
      ? 'answers invalid without wa_id for a possible number that is not a valid one'
      : 'answers valid with wa_id for a possible number that is not a valid one',
    async () => {
      const { input, waId } = POSSIBLE_NOT_VALID;
      expect(await check(h, [input], { blocking: 'wait' })).toEqual([noAccount(input, waId)]);
    },
  );

  it('gives a number registered in the sandbox a valid status with its wa_id', async () => {
    const waId = next();
    await h.sandbox.register(waId);
    expect(await check(h, [`+${waId}`], { blocking: 'wait' })).toEqual([
      { input: `+${waId}`, status: 'valid', wa_id: waId },
    ]);
  });

  it(
    "reproduces Meta's example answer: valid (cached), processing, invalid, failed",
    async () => {
      // A fresh server, so the numbers of Meta's example are in the state its answer describes.
      const fresh = await startServer({ env: { WA_API_VERSION: version } });
      try {
        await fresh.sandbox.deleteAccount('16315551002');
        await check(fresh, ['16315551000', '6315551002'], { blocking: 'wait' });
        const contacts = await check(fresh, ['16315551000', '+1 631 555 1001', '6315551002', '+163155588'], {
          blocking: 'no_wait',
        });
        expect(contacts).toEqual([
          { wa_id: '16315551000', input: '16315551000', status: 'valid' },
          { wa_id: '16315551001', input: '+1 631 555 1001', status: 'processing' },
          noAccount('6315551002', '16315551002'),
          { input: '+163155588', status: 'failed' },
        ]);
      } finally {
        await fresh.close();
      }
    },
    START_TIMEOUT,
  );

  it('reads numbers without + in the business country, and numbers of other countries given with +', async () => {
    expect(await check(h, ['+44 20 7946 0958', '+39 347 123 4567', '(631) 555-1234'], { blocking: 'wait' })).toEqual([
      { input: '+44 20 7946 0958', status: 'valid', wa_id: '442079460958' },
      { input: '+39 347 123 4567', status: 'valid', wa_id: '393471234567' },
      { input: '(631) 555-1234', status: 'valid', wa_id: '16315551234' },
    ]);
  });
});

describe('POST /v1/contacts for a business registered in India', () => {
  const h = useServer({ env: { WA_API_VERSION: '2.41', WA_BUSINESS_NUMBER: '+91 98765 43210' } });

  it("translates numbers as Meta's table says (the country code goes in front when there is no +)", async () => {
    expect(
      await check(h, ['+16315551234', '+1 (631) 555-1234', '(631) 555-1234', '1 (631) 555-1234'], { blocking: 'wait' }),
    ).toEqual([
      { input: '+16315551234', status: 'valid', wa_id: '16315551234' },
      { input: '+1 (631) 555-1234', status: 'valid', wa_id: '16315551234' },
      { input: '(631) 555-1234', status: 'valid', wa_id: '916315551234' },
      // "likely a wrong number": not in an assigned Indian range, so no WhatsApp user (v2.41).
      { input: '1 (631) 555-1234', status: 'invalid' },
    ]);
  });
});
