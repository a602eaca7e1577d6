import { describe, expect, it, vi } from 'vitest';
import { CheckResultCache } from '../../src/domain/check-cache.js';
import type { CheckStatus, ContactCheck } from '../../src/storage/index.js';

const T = 1_700_000_000_000;
const check = (waId: string, status: CheckStatus, checkedAt: number): ContactCheck => ({ waId, status, checkedAt });

/** Every number's answer with no freshness limit, in a fixed order so a whole state compares in one assertion. */
function snapshot(cache: CheckResultCache, waIds: readonly string[]): Record<string, CheckStatus | undefined> {
  return Object.fromEntries(waIds.map((waId) => [waId, cache.get(waId, Number.NEGATIVE_INFINITY)]));
}

describe('CheckResultCache.get', () => {
  it('misses a number it was never told about', () => {
    const cache = new CheckResultCache();
    expect(cache.get('16315551000', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('misses a number other than the one remembered', () => {
    const cache = new CheckResultCache();
    cache.remember([check('16315551000', 'valid', T)]);
    expect(cache.get('16315551001', 0)).toBeUndefined();
  });

  it('answers when checkedAt equals freshSince, and misses when the check is 1 ms older', () => {
    const cache = new CheckResultCache();
    cache.remember([check('16315551000', 'valid', T), check('16315551001', 'invalid', T)]);
    expect(cache.get('16315551000', T - 1)).toBe('valid');
    expect(cache.get('16315551000', T)).toBe('valid');
    expect(cache.get('16315551000', T + 1)).toBeUndefined();
    // The invalid answer is a result like any other, not a miss.
    expect(cache.get('16315551001', T)).toBe('invalid');
    expect(cache.get('16315551001', T + 1)).toBeUndefined();
  });

  it('keeps a stale entry: a later get with an older freshSince still answers', () => {
    // Staleness is the caller's question, asked per get; the entry itself is not dropped by a miss.
    const cache = new CheckResultCache();
    cache.remember([check('16315551000', 'valid', T)]);
    expect(cache.get('16315551000', T + 1)).toBeUndefined();
    expect(cache.get('16315551000', T)).toBe('valid');
    expect(cache.size).toBe(1);
  });
});

describe('CheckResultCache.remember', () => {
  it('never replaces a newer result with an older one', () => {
    const cache = new CheckResultCache();
    cache.remember([check('16315551000', 'valid', T)]);
    cache.remember([check('16315551000', 'invalid', T - 1)]);
    // Fresh since T: fails both if the older status was taken and if the older time was.
    expect(cache.get('16315551000', T)).toBe('valid');
    expect(cache.size).toBe(1);
  });

  it('never replaces a newer result with an older one later in the same batch', () => {
    const cache = new CheckResultCache();
    cache.remember([check('16315551000', 'invalid', T + 5), check('16315551000', 'valid', T)]);
    expect(cache.get('16315551000', T + 5)).toBe('invalid');
    expect(cache.size).toBe(1);
  });

  it('replaces a result with a newer one, moving its freshness forward', () => {
    const cache = new CheckResultCache();
    cache.remember([check('16315551000', 'valid', T)]);
    cache.remember([check('16315551000', 'invalid', T + 1)]);
    expect(cache.get('16315551000', T + 1)).toBe('invalid');
    expect(cache.get('16315551000', T + 2)).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('replaces a result with one checked at the same millisecond (the last write wins, as in the table)', () => {
    const cache = new CheckResultCache();
    cache.remember([check('16315551000', 'valid', T)]);
    cache.remember([check('16315551000', 'invalid', T)]);
    expect(cache.get('16315551000', T)).toBe('invalid');
    cache.remember([check('16315551000', 'valid', T)]);
    expect(cache.get('16315551000', T)).toBe('valid');
  });

  it('remembers every number of a batch', () => {
    const cache = new CheckResultCache();
    cache.remember([
      check('16315551000', 'valid', T),
      check('393471234567', 'invalid', T + 1),
      check('919876543210', 'valid', T + 2),
    ]);
    expect(snapshot(cache, ['16315551000', '393471234567', '919876543210'])).toEqual({
      '16315551000': 'valid',
      '393471234567': 'invalid',
      '919876543210': 'valid',
    });
    expect(cache.size).toBe(3);
  });
});

describe('CheckResultCache bound (maxEntries)', () => {
  const ids = ['10000000001', '10000000002', '10000000003', '10000000004', '10000000005', '10000000006'];

  it('evicts the oldest inserted entry first, one per new number, and never holds more than maxEntries', () => {
    const cache = new CheckResultCache(3);
    // Inserted newest-checked first, so insertion order and checkedAt order disagree:
    // an eviction by checkedAt would pick a different victim.
    cache.remember([
      check(ids[0]!, 'valid', T + 30),
      check(ids[1]!, 'invalid', T + 20),
      check(ids[2]!, 'valid', T + 10),
    ]);
    expect(cache.size).toBe(3);

    cache.remember([check(ids[3]!, 'valid', T)]);
    expect(cache.size).toBe(3);
    expect(snapshot(cache, ids.slice(0, 4))).toEqual({
      [ids[0]!]: undefined,
      [ids[1]!]: 'invalid',
      [ids[2]!]: 'valid',
      [ids[3]!]: 'valid',
    });

    cache.remember([check(ids[4]!, 'invalid', T), check(ids[5]!, 'valid', T)]);
    expect(cache.size).toBe(3);
    expect(snapshot(cache, ids)).toEqual({
      [ids[0]!]: undefined,
      [ids[1]!]: undefined,
      [ids[2]!]: undefined,
      [ids[3]!]: 'valid',
      [ids[4]!]: 'invalid',
      [ids[5]!]: 'valid',
    });
  });

  it('orders by first insertion: refreshing or reading an entry does not save it from eviction', () => {
    const cache = new CheckResultCache(3);
    cache.remember([check(ids[0]!, 'valid', T), check(ids[1]!, 'valid', T), check(ids[2]!, 'valid', T)]);
    // A newer result for the oldest entry, and a hit on it: neither makes it younger.
    cache.remember([check(ids[0]!, 'invalid', T + 1)]);
    expect(cache.get(ids[0]!, T)).toBe('invalid');

    cache.remember([check(ids[3]!, 'valid', T)]);
    expect(snapshot(cache, ids.slice(0, 4))).toEqual({
      [ids[0]!]: undefined,
      [ids[1]!]: 'valid',
      [ids[2]!]: 'valid',
      [ids[3]!]: 'valid',
    });
  });

  it('evicts nobody when a full cache is told about a number it already holds', () => {
    const cache = new CheckResultCache(3);
    cache.remember([check(ids[0]!, 'valid', T), check(ids[1]!, 'valid', T), check(ids[2]!, 'valid', T)]);
    cache.remember([check(ids[1]!, 'invalid', T + 1), check(ids[2]!, 'valid', T - 1)]);
    expect(cache.size).toBe(3);
    expect(snapshot(cache, ids.slice(0, 3))).toEqual({ [ids[0]!]: 'valid', [ids[1]!]: 'invalid', [ids[2]!]: 'valid' });
  });

  it('treats an evicted number as a plain miss, and takes it back as a new entry', () => {
    const cache = new CheckResultCache(2);
    cache.remember([check(ids[0]!, 'valid', T + 100)]);
    cache.remember([check(ids[1]!, 'valid', T), check(ids[2]!, 'valid', T)]);
    expect(cache.get(ids[0]!, Number.NEGATIVE_INFINITY)).toBeUndefined();

    // Forgotten means forgotten: an older result than the evicted one is accepted, as for any new number.
    cache.remember([check(ids[0]!, 'invalid', T + 1)]);
    expect(cache.get(ids[0]!, T + 1)).toBe('invalid');
    expect(cache.size).toBe(2);
    // Its return evicted the oldest remaining insertion.
    expect(snapshot(cache, ids.slice(0, 3))).toEqual({
      [ids[0]!]: 'invalid',
      [ids[1]!]: undefined,
      [ids[2]!]: 'valid',
    });
  });

  it('holds exactly maxEntries after many more distinct numbers, all of them the latest ones', () => {
    const cache = new CheckResultCache(3);
    const many = Array.from({ length: 50 }, (_, i) => String(10_000_000_000 + i));
    for (const waId of many) {
      cache.remember([check(waId, 'valid', T)]);
      expect(cache.size).toBeLessThanOrEqual(3);
    }
    expect(cache.size).toBe(3);
    expect(many.filter((waId) => cache.get(waId, T) !== undefined)).toEqual(many.slice(-3));
  });

  it('holds one entry with maxEntries 1', () => {
    const cache = new CheckResultCache(1);
    cache.remember([check(ids[0]!, 'valid', T), check(ids[1]!, 'invalid', T)]);
    expect(cache.size).toBe(1);
    expect(snapshot(cache, ids.slice(0, 2))).toEqual({ [ids[0]!]: undefined, [ids[1]!]: 'invalid' });
  });
});

describe('CheckResultCache eviction cost', () => {
  it('evicts without iterating its map (V8 walks every deleted slot from the start: 20 µs an eviction at 50,000)', () => {
    const cache = new CheckResultCache(100);
    const keys = vi.spyOn(Map.prototype, 'keys');
    const entries = vi.spyOn(Map.prototype, 'entries');
    try {
      for (let i = 0; i < 1_000; i++) cache.remember([check(String(10_000_000_000 + i), 'valid', T)]);
      expect([keys.mock.calls.length, entries.mock.calls.length]).toEqual([0, 0]);
    } finally {
      keys.mockRestore();
      entries.mockRestore();
    }
    expect(cache.size).toBe(100);
  });
});
