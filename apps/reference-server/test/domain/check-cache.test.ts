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

  it('never holds more than maxEntries, and always the number just remembered, with its own result', () => {
    const cache = new CheckResultCache(3);
    const many = Array.from({ length: 50 }, (_, i) => String(10_000_000_000 + i));
    for (const [i, waId] of many.entries()) {
      cache.remember([check(waId, i % 2 === 0 ? 'valid' : 'invalid', T + i)]);
      expect(cache.get(waId, T + i)).toBe(i % 2 === 0 ? 'valid' : 'invalid');
      expect(cache.size).toBe(Math.min(i + 1, 3));
    }
    const kept = many.flatMap((waId, i) => {
      const status = cache.get(waId, Number.NEGATIVE_INFINITY);
      return status === undefined ? [] : [[status, cache.get(waId, T + i), cache.get(waId, T + i + 1)]];
    });
    // Three left, each with the status and the checkedAt it was remembered with.
    expect(kept.length).toBe(3);
    for (const [status, fresh, later] of kept) expect([fresh, later]).toEqual([status, undefined]);
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
    const evicted = ids.slice(0, 3).filter((waId) => cache.get(waId, Number.NEGATIVE_INFINITY) === undefined);
    expect(evicted.length).toBe(1);

    // Forgotten means forgotten: an older result than the evicted one is accepted, as for any new number.
    cache.remember([check(evicted[0]!, 'invalid', T - 1)]);
    expect(cache.get(evicted[0]!, T - 1)).toBe('invalid');
    expect(cache.size).toBe(2);
  });

  it('holds one entry with maxEntries 1', () => {
    const cache = new CheckResultCache(1);
    cache.remember([check(ids[0]!, 'valid', T), check(ids[1]!, 'invalid', T)]);
    expect(cache.size).toBe(1);
    expect(snapshot(cache, ids.slice(0, 2))).toEqual({ [ids[0]!]: undefined, [ids[1]!]: 'invalid' });
  });

  it('is full at maxEntries', () => {
    const cache = new CheckResultCache(2);
    cache.remember([check(ids[0]!, 'valid', T)]);
    expect(cache.full).toBe(false);
    cache.remember([check(ids[1]!, 'valid', T)]);
    expect(cache.full).toBe(true);
  });
});

describe('CheckResultCache keys', () => {
  it('holds only wa_ids of 7 to 15 digits without a leading 0 (exact as numbers), and misses the others', () => {
    const cache = new CheckResultCache();
    const odd = ['0163155510', '123456', '1234567890123456', '1631555100a', '1e10', ' 16315551000', ''];
    cache.remember(odd.map((waId) => check(waId, 'valid', T)));
    cache.rememberPacked('0163155510', T * 2 + 1);
    expect(cache.size).toBe(0);
    expect(odd.map((waId) => cache.get(waId, 0))).toEqual(odd.map(() => undefined));
    cache.remember([check('1234567', 'valid', T), check('999999999999999', 'invalid', T)]);
    expect(snapshot(cache, ['1234567', '999999999999999', '12345670'])).toEqual({
      '1234567': 'valid',
      '999999999999999': 'invalid',
      '12345670': undefined,
    });
  });

  it('rememberPacked takes checkedAt * 2 + (valid ? 1 : 0), newer results only', () => {
    const cache = new CheckResultCache();
    cache.rememberPacked('16315551000', T * 2 + 1);
    cache.rememberPacked('16315551001', T * 2);
    cache.rememberPacked('16315551000', (T - 1) * 2);
    expect([cache.get('16315551000', T), cache.get('16315551001', T), cache.get('16315551001', T + 1)]).toEqual([
      'valid',
      'invalid',
      undefined,
    ]);
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
