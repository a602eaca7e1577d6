import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isValidWaId } from '../../src/domain/phone.js';

// The parser is wrapped, not replaced: answers stay real, and the number of parses shows
// whether the memo answered (the memo itself is private to the module).
vi.mock('libphonenumber-js/max', async (importOriginal) => {
  const actual = await importOriginal<typeof import('libphonenumber-js/max')>();
  return { ...actual, parsePhoneNumberFromString: vi.fn(actual.parsePhoneNumberFromString) };
});
const parses = vi.mocked(parsePhoneNumberFromString);

// Expected answers are written out rather than computed with libphonenumber: isValidWaId is
// that same call, so computing them would only restate it. Valid ones are libphonenumber's own
// example numbers (and, for Niue, whose subscriber numbers have 4 digits, one in its fixed-line
// range), invalid ones break a numbering-plan rule.
const TABLE: ReadonlyArray<readonly [label: string, waId: string, valid: boolean]> = [
  ['US', '12015550123', true],
  ['IT mobile', '393123456789', true],
  ['IN mobile', '918123456789', true],
  ['BR mobile (São Paulo)', '5511961234567', true],
  ['Niue, 7 digits: the shortest a wa_id may be', '6834002', true],
  ['US area code 000 (NANP area codes never start with 0)', '10000000000', false],
  ['US area code 123 (nor with 1)', '11234567890', false],
  ['a US number behind the Indian country code', '9116315551234', false],
  ['7 digits, too short for +1', '1234567', false],
  ['6 digits, shorter than any wa_id', '683400', false],
  ['16 digits, longer than E.164 allows', '1201555012345678', false],
  ['leading zero before a valid US number', '012015550123', false],
  ['leading zero before a valid Indian number', '0918123456789', false],
  ['with +', '+12015550123', false],
  ['with a letter', '1201555012a', false],
  ['with a leading space', ' 12015550123', false],
  ['with a trailing space', '12015550123 ', false],
  ['with a trailing newline', '12015550123\n', false],
  ['with dashes', '1-201-555-0123', false],
  // libphonenumber itself reads these as digits; a wa_id is ASCII digits only.
  ['fullwidth digits', '１２０１５５５０１２３', false],
  ['Arabic-Indic digits', '٩١٨١٢٣٤٥٦٧٨٩', false],
  ['empty', '', false],
];

/** Distinct wa_ids whose answer is known by construction: area code 201, exchanges 555-557, are assigned; area code 000 never is. */
function filler(i: number): readonly [waId: string, valid: boolean] {
  return i % 2 === 0 ? [String(12_015_550_000 + i / 2), true] : [String(10_000_000_000 + (i - 1) / 2), false];
}

/** More distinct wa_ids than the memo may hold (it is bounded; 60 000 is beyond its bound). */
const BEYOND_BOUND = 60_000;

beforeEach(() => {
  parses.mockClear();
});

describe('isValidWaId', () => {
  it.each(TABLE)('%s: %j -> %s', (_label, waId, valid) => {
    expect(isValidWaId(waId)).toBe(valid);
    // The second answer comes from the memo for well-formed ids; it must be the same one.
    expect(isValidWaId(waId)).toBe(valid);
  });

  it('parses a well-formed wa_id once, however often it is asked, valid or not', () => {
    // Numbers not used elsewhere in this file, so the memo cannot already hold them.
    for (const waId of ['6837001', '12345678']) {
      const before = parses.mock.calls.length;
      const first = isValidWaId(waId);
      expect(parses.mock.calls.length - before).toBe(1);
      for (let i = 0; i < 5; i++) expect(isValidWaId(waId)).toBe(first);
      expect(parses.mock.calls.length - before).toBe(1);
    }
    expect([isValidWaId('6837001'), isValidWaId('12345678')]).toEqual([true, false]);
  });

  it('never parses what is not shaped like a wa_id, so junk cannot fill the memo', () => {
    // Inputs not asked before in this file: a memo hit must not be what keeps the parser idle.
    const junk = [
      '+447400123456',
      '44 7400 123456',
      '０４４７４００１２３４５６',
      '447400',
      '4474001234561234',
      '0447400123456',
      'x',
    ];
    expect(junk.map(isValidWaId)).toEqual(junk.map(() => false));
    expect(parses).not.toHaveBeenCalled();
  });

  it(`answers the same for ${BEYOND_BOUND} distinct wa_ids, and again for the earliest once they have been evicted`, () => {
    const early = TABLE.map(([, waId]) => isValidWaId(waId));
    expect(early).toEqual(TABLE.map(([, , valid]) => valid));

    const wrong: string[] = [];
    for (let i = 0; i < BEYOND_BOUND; i++) {
      const [waId, valid] = filler(i);
      if (isValidWaId(waId) !== valid) wrong.push(waId);
    }
    expect(wrong).toEqual([]);

    // The memo is bounded: the earliest numbers were let go and are parsed afresh, to the same answers.
    parses.mockClear();
    expect(TABLE.map(([, waId]) => isValidWaId(waId))).toEqual(early);
    expect(parses).toHaveBeenCalledWith('+393123456789');
    // And the first fillers, just as long ago, as well.
    for (let i = 0; i < 10; i++) expect(isValidWaId(filler(i)[0])).toBe(filler(i)[1]);
    expect(parses).toHaveBeenCalledWith(`+${filler(0)[0]}`);
  });

  it('still answers from the memo for a number asked a few thousand numbers ago', () => {
    const waId = '447400123456';
    expect(isValidWaId(waId)).toBe(true);
    for (let i = 0; i < 5_000; i++) isValidWaId(String(10_000_100_000 + i));
    parses.mockClear();
    expect(isValidWaId(waId)).toBe(true);
    expect(parses).not.toHaveBeenCalled();
  });
});
