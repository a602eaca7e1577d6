import { describe, expect, it } from 'vitest';
import { BYTES_PER_SLOT, PackedTable } from '../../src/domain/packed-table.js';

/** wa_id-like keys: 11 digits, none twice. */
const keyAt = (i: number): number => 16_312_000_000 + i;

/** Every key of keys that the table answers, with its value. */
const held = (table: PackedTable, keys: readonly number[]): Array<[number, number]> =>
  keys.flatMap((k) => {
    const v = table.get(k);
    return v === undefined ? [] : [[k, v] as [number, number]];
  });

describe('PackedTable', () => {
  it('answers what was set, and undefined for any other key', () => {
    const table = new PackedTable(10);
    table.set(keyAt(1), 3_400_000_001);
    table.set(-keyAt(2), 0);
    expect([table.get(keyAt(1)), table.get(-keyAt(2)), table.get(keyAt(2)), table.get(keyAt(3))]).toEqual([
      3_400_000_001,
      0,
      undefined,
      undefined,
    ]);
    expect(table.size).toBe(2);
  });

  it('replaces the value of a key it holds, one entry still', () => {
    const table = new PackedTable(10);
    table.set(keyAt(1), 5);
    table.set(keyAt(1), 7);
    expect([table.get(keyAt(1)), table.size]).toEqual([7, 1]);
  });

  it('refuses 0 (its mark of a free slot) and keys that are no safe integer', () => {
    const table = new PackedTable(10);
    expect(() => table.set(0, 1)).toThrow(RangeError);
    expect(() => table.set(1.5, 1)).toThrow(RangeError);
    expect(() => table.set(2 ** 53, 1)).toThrow(RangeError);
    expect(() => table.set(Number.NaN, 1)).toThrow(RangeError);
    expect(table.size).toBe(0);
    expect(table.get(Number.NaN)).toBeUndefined();
  });

  it('answers every key after growing from 1,024 slots to 26,667, and never passes 0.75 entries a slot', () => {
    const table = new PackedTable(20_000);
    const keys = Array.from({ length: 20_000 }, (_, i) => keyAt(i * 7919));
    const slots: number[] = [];
    keys.forEach((k, i) => {
      table.set(k, i);
      const s = table.bytes / BYTES_PER_SLOT;
      if (slots.at(-1) !== s) slots.push(s);
      expect(table.size).toBeLessThanOrEqual(s * 0.75);
    });
    expect(slots).toEqual([1_024, 2_048, 4_096, 8_192, 16_384, 26_667]);
    expect(held(table, keys)).toEqual(keys.map((k, i) => [k, i]));
    expect(table.size).toBe(20_000);
  });

  it('past maxEntries refuses a new key and evicts none; a key it holds still takes a new value', () => {
    const table = new PackedTable(1_000);
    const keys = Array.from({ length: 5_000 }, (_, i) => keyAt(i));
    const taken = keys.map((k, i) => table.set(k, i));
    expect(taken.filter(Boolean).length).toBe(1_000);
    expect(taken.slice(0, 1_000).every(Boolean)).toBe(true);
    expect([table.size, table.full]).toEqual([1_000, true]);
    expect(held(table, keys)).toEqual(keys.slice(0, 1_000).map((k, i) => [k, i]));
    expect(table.set(keyAt(10), 4_000_000_000)).toBe(true);
    expect([table.get(keyAt(10)), table.get(keyAt(1_000)), table.size]).toEqual([4_000_000_000, undefined, 1_000]);
  });

  it('is at most maxEntries / 0.75 × 12 bytes: 16 MB with a million entries, and refuses the next 200,000', () => {
    const table = new PackedTable(1_000_000);
    let refused = 0;
    for (let i = 0; i < 1_200_000; i++) if (!table.set(keyAt(i), i)) refused++;
    expect([table.size, refused]).toEqual([1_000_000, 200_000]);
    expect(table.bytes).toBe(Math.ceil(1_000_000 / 0.75) * BYTES_PER_SLOT);
    expect(table.bytes).toBe(16_000_008);
    expect([table.get(keyAt(999_999)), table.get(keyAt(1_000_000)), table.get(keyAt(1_199_999))]).toEqual([
      999_999,
      undefined,
      undefined,
    ]);
  });

  it("reserve() takes the slots of a load once (no doubling past them), at most maxEntries'", () => {
    const table = new PackedTable(1_000_000);
    table.reserve(300_000);
    expect(table.bytes).toBe(400_000 * BYTES_PER_SLOT);
    for (let i = 0; i < 300_000; i++) table.set(keyAt(i), i);
    expect(table.bytes).toBe(400_000 * BYTES_PER_SLOT);
    expect(held(table, [keyAt(0), keyAt(299_999)])).toEqual([
      [keyAt(0), 0],
      [keyAt(299_999), 299_999],
    ]);
    const small = new PackedTable(10);
    small.reserve(1_000_000);
    expect(small.bytes).toBe(14 * BYTES_PER_SLOT);
  });

  it('clear() forgets every entry and gives the memory of its growth back', () => {
    const table = new PackedTable(10_000);
    for (let i = 0; i < 10_000; i++) table.set(keyAt(i), i);
    table.clear();
    expect([table.size, table.bytes, table.get(keyAt(0)), table.get(keyAt(9_999))]).toEqual([
      0,
      1_024 * BYTES_PER_SLOT,
      undefined,
      undefined,
    ]);
    table.set(keyAt(5), 5);
    expect([table.size, table.get(keyAt(5))]).toEqual([1, 5]);
  });

  it('works with one entry at most', () => {
    const table = new PackedTable(1);
    expect([table.set(keyAt(1), 1), table.set(keyAt(2), 2)]).toEqual([true, false]);
    expect([table.size, table.get(keyAt(1)), table.get(keyAt(2)), table.bytes]).toEqual([
      1,
      1,
      undefined,
      2 * BYTES_PER_SLOT,
    ]);
  });
});
