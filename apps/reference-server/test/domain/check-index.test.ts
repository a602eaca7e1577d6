import { describe, expect, it } from 'vitest';
import { CheckIndex } from '../../src/domain/check-index.js';
import { PhoneNormalizer } from '../../src/domain/phone.js';

const US = new PhoneNormalizer({ region: 'US', callingCode: '1' });
const MINUTE = 60_000;
/** A minute's start, so results there are fresh to the millisecond. */
const T = 29_000_000 * MINUTE;
const WA_ID = '16312000000';
/** Meta's example formats of one US number: its wa_id from the digits (+ or not), or from 1 and the digits. */
const FORMATS = ['+1 631 200 0000', '16312000000', '+1 (631) 200-0000', '631-200-0000'];

function indexOf(max = 100): CheckIndex {
  const index = new CheckIndex(max, '1');
  for (const input of FORMATS) expect(index.add(input, US.normalize(input))).toBe(true);
  return index;
}
const statusOf = (index: CheckIndex, input: string, freshSince: number) => {
  const slot = index.slotOf(input);
  return slot < 0 ? 'not held' : (index.statusAt(slot, freshSince) ?? 'no fresh result');
};
const statuses = (index: CheckIndex, freshSince: number) => FORMATS.map((input) => statusOf(index, input, freshSince));

describe('CheckIndex', () => {
  it('gives back what each input normalizes to, from its digits and the business calling code', () => {
    const index = indexOf();
    // '+1 631 200 0000' and '+1 (631) 200-0000' are one key: 3 entries.
    expect(index.size).toBe(3);
    expect(FORMATS.map((input) => index.normalizedAt(index.slotOf(input)))).toEqual(
      FORMATS.map(() => ({ kind: 'valid', waId: WA_ID })),
    );
    expect(index.add('+1 631 200 00', US.normalize('+1 631 200 00'))).toBe(true);
    expect(index.normalizedAt(index.slotOf('+1631 20000'))).toEqual({ kind: 'failed' });
  });

  it('does not hold an input whose wa_id does not follow from its digits, nor one of no dialable shape', () => {
    const index = new CheckIndex(100, '44');
    const gb = new PhoneNormalizer({ region: 'GB', callingCode: '44' });
    // The national trunk 0 is dropped: 447400123456 is neither 07400123456 nor 44 07400123456.
    expect(gb.normalize('07400 123456')).toEqual({ kind: 'valid', waId: '447400123456' });
    expect(index.add('07400 123456', gb.normalize('07400 123456'))).toBe(false);
    expect(index.add('tel:+447400123456', gb.normalize('tel:+447400123456'))).toBe(false);
    expect([index.size, index.slotOf('07400 123456')]).toEqual([0, -1]);
  });

  it('a result of a wa_id reaches every input held of it; a result never replaces a newer one', () => {
    const index = indexOf();
    index.remember([{ waId: WA_ID, status: 'valid', checkedAt: T + 5 * MINUTE }]);
    expect(statuses(index, T)).toEqual(['valid', 'valid', 'valid', 'valid']);
    index.remember([{ waId: WA_ID, status: 'invalid', checkedAt: T + 2 * MINUTE }]);
    expect(statuses(index, T)).toEqual(['valid', 'valid', 'valid', 'valid']);
    index.remember([{ waId: WA_ID, status: 'invalid', checkedAt: T + 9 * MINUTE }]);
    expect(statuses(index, T)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    // Another number's result, and one of 1 + this number's digits, change nothing here.
    index.remember([
      { waId: '16312000001', status: 'valid', checkedAt: T + 20 * MINUTE },
      { waId: `1${WA_ID}`, status: 'valid', checkedAt: T + 20 * MINUTE },
    ]);
    expect(statuses(index, T)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
  });

  it('two results of one minute with two statuses: no answer until a later minute, then that one', () => {
    const index = indexOf();
    index.remember([{ waId: WA_ID, status: 'valid', checkedAt: T + MINUTE + 10_000 }]);
    index.remember([{ waId: WA_ID, status: 'invalid', checkedAt: T + MINUTE + 50_000 }]);
    expect(statuses(index, T)).toEqual(Array(4).fill('no fresh result'));
    index.remember([{ waId: WA_ID, status: 'valid', checkedAt: T + MINUTE + 30_000 }]);
    expect(statuses(index, T)).toEqual(Array(4).fill('no fresh result'));
    index.remember([{ waId: WA_ID, status: 'valid', checkedAt: T + 2 * MINUTE }]);
    expect(statuses(index, T)).toEqual(Array(4).fill('valid'));
  });

  it('tells a result fresh only when its minute is: conservative, never stale', () => {
    const index = indexOf();
    index.remember([{ waId: WA_ID, status: 'valid', checkedAt: T + 59_999 }]);
    expect([statusOf(index, FORMATS[0]!, T), statusOf(index, FORMATS[0]!, T + 1)]).toEqual([
      'valid',
      'no fresh result',
    ]);
    const past = indexOf();
    past.remember([{ waId: WA_ID, status: 'valid', checkedAt: -1 }]);
    expect(statusOf(past, FORMATS[0]!, -MINUTE * 10)).toBe('no fresh result');
  });

  it('full, it answers the inputs it holds and their new results, and refuses new inputs', () => {
    const index = indexOf(3);
    expect(index.full).toBe(true);
    expect(index.add('+1 631 200 0001', US.normalize('+1 631 200 0001'))).toBe(false);
    expect([index.size, index.slotOf('+1 631 200 0001')]).toEqual([3, -1]);
    index.remember([
      { waId: WA_ID, status: 'valid', checkedAt: T },
      { waId: '16312000001', status: 'valid', checkedAt: T },
    ]);
    expect(statuses(index, T)).toEqual(['valid', 'valid', 'valid', 'valid']);
    expect(index.slotOf('+1 631 200 0001')).toBe(-1);
  });

  it('add() with a result keeps the newer of it and what is held; clear() forgets everything', () => {
    const index = indexOf();
    index.remember([{ waId: WA_ID, status: 'invalid', checkedAt: T + MINUTE }]);
    index.add(FORMATS[1]!, US.normalize(FORMATS[1]!), { waId: WA_ID, status: 'valid', checkedAt: T });
    expect(statusOf(index, FORMATS[1]!, T)).toBe('invalid');
    const epoch = index.epoch;
    index.clear();
    expect([index.size, index.slotOf(FORMATS[1]!), index.epoch]).toEqual([0, -1, epoch + 1]);
  });
});
