import { describe, expect, it } from 'vitest';
import { Clock } from '../src/clock.js';

describe('Clock', () => {
  it('only moves forward, whatever order the offsets of simultaneous moves come in', () => {
    const clock = new Clock(5);
    clock.advanceTo(30);
    clock.advanceTo(20);
    expect(clock.offset).toBe(30);
  });
});
