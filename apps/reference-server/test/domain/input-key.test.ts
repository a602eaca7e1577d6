import { describe, expect, it } from 'vitest';
import { inputKey } from '../../src/domain/input-key.js';
import { type NormalizedNumber, PhoneNormalizer } from '../../src/domain/phone.js';

/** A business of each region the server may emulate: its numbering plan decides national inputs. */
const BUSINESSES = [
  { region: 'US', callingCode: '1' },
  { region: 'GB', callingCode: '44' },
  { region: 'IT', callingCode: '39' },
  { region: 'DE', callingCode: '49' },
  { region: 'IN', callingCode: '91' },
  { region: 'BR', callingCode: '55' },
] as const;

/** Digits of real, possible-only and impossible numbers, with and without trunk prefixes. */
const DIGITS = [
  '16315551000',
  '6315551000',
  '442079460958',
  '02079460958',
  '4402079460958',
  '393471234567',
  '0612345678',
  '39061234567',
  '4930123456',
  '030123456',
  '919876543210',
  '09876543210',
  '5511987654321',
  '11987654321',
  '19995550100',
  '123',
  '0000000',
  '999999999999999',
];

/** A fixed pseudo-random sequence (mulberry32), so every run tries the same inputs. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** digits written with punctuation of the dialable shape around and between them, as users type. */
function written(digits: string, plus: boolean, next: () => number): string {
  const marks = [' ', '(', ')', '-', '.', '/', '  ', ') ', ' (', '-.'];
  const mark = () => (next() < 0.4 ? marks[Math.floor(next() * marks.length)]! : '');
  let text = plus ? `+${mark()}` : mark();
  for (const d of digits) text += d + mark();
  const pad = [' ', '\t', '\u00a0', ''][Math.floor(next() * 4)]!;
  return pad + text + pad;
}

/** What a process that never saw the input makes of it (a fresh normalizer: nothing remembered). */
const fresh = (business: (typeof BUSINESSES)[number], input: string): NormalizedNumber =>
  new PhoneNormalizer(business).normalize(input);

describe('inputKey', () => {
  it('keys the + and the digits only', () => {
    expect(inputKey('+1 (631) 555-1000')).toBe(-(1e11 + 16_315_551_000));
    expect(inputKey(' 16315551000 ')).toBe(1e11 + 16_315_551_000);
    expect(inputKey('631.555.1000')).toBe(1e10 + 6_315_551_000);
    // Leading zeros are digits too: 0612345678 is not 612345678.
    expect(inputKey('06 1234 5678')).toBe(1e10 + 612_345_678);
    expect(inputKey('612345678')).toBe(1e9 + 612_345_678);
    expect(inputKey('/+/1/2/3')).toBeNaN();
    expect(inputKey('+123')).toBe(-1123);
    expect(inputKey('+999 999 999 999 999')).toBe(-(1e15 + 999_999_999_999_999));
  });

  it('keys nothing it cannot hold exactly or libphonenumber reads otherwise', () => {
    expect(
      [
        '+1 631 555 1000 00000', // 16 digits
        '12', // too few for punctuation to be ignored
        '1-2',
        '',
        '+',
        '1 631 555 1000 x12', // an extension
        '1631555100#',
        'tel:+16315551000',
        '+1,631',
        '16315551000+',
        '1\t631',
        `+1${' '.repeat(250)}631 555 1000`, // longer than libphonenumber reads
      ].map(inputKey),
    ).toEqual(Array(12).fill(Number.NaN));
  });

  it('gives inputs with one key one result, in every business country (a fresh parse of each)', () => {
    const next = random(18);
    let compared = 0;
    const kinds = new Set<string>();
    for (const business of BUSINESSES) {
      for (const digits of DIGITS) {
        for (const plus of [true, false]) {
          const canonical = (plus ? '+' : '') + digits;
          const expected = fresh(business, canonical);
          kinds.add(expected.kind);
          for (let n = 0; n < 12; n++) {
            const input = written(digits, plus, next);
            expect(inputKey(input), JSON.stringify(input)).toBe(inputKey(canonical));
            expect(fresh(business, input), `${business.region} ${JSON.stringify(input)}`).toEqual(expected);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(6 * DIGITS.length * 2 * 12);
    expect([...kinds].sort()).toEqual(['failed', 'possible', 'valid']);
  });
});
