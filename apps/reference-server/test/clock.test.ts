import { describe, expect, it } from 'vitest';
import { Clock } from '../src/clock.js';

describe('Clock', () => {
  it('only moves forward, whatever order the offsets of simultaneous moves come in', () => {
    const clock = new Clock(5);
    clock.advanceTo(30);
    clock.advanceTo(20);
    expect(clock.offset).toBe(30);
  });

  it('resolves whenConfirmed once enough instances confirmed the offset or more', async () => {
    const clock = new Clock();
    let resolved = false;
    const wait = clock.whenConfirmed(100, 2, 60_000).then(() => (resolved = true));
    clock.confirmed('a', 100);
    clock.confirmed('a', 200); // the same instance twice counts once
    clock.confirmed('b', 99);
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    clock.confirmed('b', 150);
    await wait;
    expect(resolved).toBe(true);
  });

  it('resolves whenConfirmed at once when nobody needs to confirm, and after the timeout when some never do', async () => {
    const clock = new Clock();
    await clock.whenConfirmed(100, 0, 60_000);
    await clock.whenConfirmed(100, 1, 20);
  });
});
