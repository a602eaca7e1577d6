import { describe, expect, it, vi } from 'vitest';
import { PhoneNormalizer, isValidWaId } from '../src/domain/phone.js';

const us = new PhoneNormalizer({ region: 'US', callingCode: '1' });
const india = new PhoneNormalizer({ region: 'IN', callingCode: '91' });

describe('phone number normalisation', () => {
  it('reads every format of the seed request for a US business', () => {
    expect(
      ['16315551000', '+1 631 555 1001', '6315551002', '+1 (631) 555-1004', '1-631-555-1005'].map((n) =>
        us.normalize(n),
      ),
    ).toEqual([
      { kind: 'valid', waId: '16315551000' },
      { kind: 'valid', waId: '16315551001' },
      { kind: 'valid', waId: '16315551002' },
      { kind: 'valid', waId: '16315551004' },
      { kind: 'valid', waId: '16315551005' },
    ]);
  });

  it("reproduces Meta's table for a business registered with an Indian number", () => {
    expect(india.normalize('+16315551234')).toEqual({ kind: 'valid', waId: '16315551234' });
    expect(india.normalize('+1 (631) 555-1234')).toEqual({ kind: 'valid', waId: '16315551234' });
    expect(india.normalize('(631) 555-1234')).toEqual({ kind: 'valid', waId: '916315551234' });
    // "likely a wrong number": dialable, but not an assigned Indian range.
    expect(india.normalize('1 (631) 555-1234')).toEqual({ kind: 'possible', waId: '9116315551234' });
  });

  it("fails Meta's too-short example and what is not a phone number", () => {
    expect(us.normalize('+163155588')).toEqual({ kind: 'failed' });
    for (const input of [
      '',
      '   ',
      'abc',
      '+',
      '12',
      '555-CALL-NOW',
      '+1 631 555 1000 ext 2',
      '++16315551000',
      '1+6315551000',
    ]) {
      expect(us.normalize(input)).toEqual({ kind: 'failed' });
    }
  });

  it('applies the business country when the number after + is not valid', () => {
    // +6315551006 is no valid international number; as a US national number it is.
    expect(us.normalize('+6315551006')).toEqual({ kind: 'valid', waId: '16315551006' });
  });

  it('reads numbers of other countries given with +', () => {
    expect(us.normalize('+44 20 7946 0958')).toEqual({ kind: 'valid', waId: '442079460958' });
    expect(us.normalize('+39 347 123 4567')).toEqual({ kind: 'valid', waId: '393471234567' });
  });

  it('tells valid wa_ids from digit strings that are no real number', () => {
    expect(isValidWaId('16315551000')).toBe(true);
    expect(isValidWaId('9116315551234')).toBe(false);
    expect(isValidWaId('+16315551000')).toBe(false);
  });
});

describe('phone number normalisation cache', () => {
  it('evicts without iterating its map once full (V8 walks every deleted slot: 20 µs an eviction at 50,000)', () => {
    const fresh = new PhoneNormalizer({ region: 'US', callingCode: '1' });
    // 50,000 distinct inputs fill the cache; the next ones each evict one.
    for (let i = 0; i < 50_000; i++) fresh.normalize(`+1 631 ${2_000_000 + i}`);
    const keys = vi.spyOn(Map.prototype, 'keys');
    try {
      for (let i = 0; i < 200; i++) expect(fresh.normalize(`+1 631 ${3_000_000 + i}`).kind).toBe('valid');
      expect(keys.mock.calls.length).toBe(0);
    } finally {
      keys.mockRestore();
    }
    // The oldest went first: the first input is parsed again, the newest is still held.
    expect(fresh.normalize('+1 631 2000000')).toEqual({ kind: 'valid', waId: '16312000000' });
    // 50,000 parses: seconds on a busy machine.
  }, 60_000);
});
