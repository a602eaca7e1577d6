import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/domain/login-throttle.js';

function throttle(maxKeys = 100) {
  const clock = { now: 1_000_000 };
  return { clock, t: new LoginThrottle({ burst: 10, refillMs: 6000, maxKeys, now: () => clock.now }) };
}

describe('LoginThrottle (a token bucket of failures per key)', () => {
  it('allows 10 failures, then asks to wait for the next allowance', () => {
    const { t } = throttle();
    expect(Array.from({ length: 10 }, () => t.take(['user:admin']))).toEqual(Array(10).fill(0));
    expect(t.take(['user:admin'])).toBe(6000);
    // A refused take consumes nothing.
    expect(t.take(['user:admin'])).toBe(6000);
  });

  it('refills one allowance per 6 seconds, up to 10', () => {
    const { clock, t } = throttle();
    for (let i = 0; i < 10; i++) t.take(['ip:a']);
    clock.now += 3000;
    expect(t.take(['ip:a'])).toBe(3000);
    clock.now += 3000;
    expect(t.take(['ip:a'])).toBe(0);
    expect(t.take(['ip:a'])).toBe(6000);
    clock.now += 10 * 6000 * 5;
    expect(Array.from({ length: 11 }, () => t.take(['ip:a']))).toEqual([...Array(10).fill(0), 6000]);
  });

  it('gives a refunded allowance back (a success does not count)', () => {
    const { t } = throttle();
    for (let i = 0; i < 20; i++) {
      expect(t.take(['user:admin'])).toBe(0);
      t.refund(['user:admin']);
    }
  });

  it('takes from every key or from none: an empty one refuses and leaves the others untouched', () => {
    const { t } = throttle();
    for (let i = 0; i < 10; i++) t.take(['user:admin', 'ip:a']);
    expect(t.take(['user:other', 'ip:a'])).toBe(6000);
    expect(Array.from({ length: 10 }, () => t.take(['user:other', 'ip:b']))).toEqual(Array(10).fill(0));
  });

  it('keeps at most maxKeys buckets', () => {
    const { t } = throttle(50);
    for (let i = 0; i < 500; i++) t.take([`ip:${i}`]);
    expect(t.size).toBe(50);
  });
});
