import { expect, it } from 'vitest';
import { RingMap } from '../../src/domain/ring-map.js';

const keys = (m: RingMap<string, number>, all: string[]) => all.filter((k) => m.has(k));

it('holds at most its capacity, the oldest insertion going first; an update keeps its place', () => {
  const m = new RingMap<string, number>(3);
  for (const [i, k] of ['a', 'b', 'c'].entries()) m.set(k, i);
  m.set('a', 10);
  expect(m.get('a')).toBe(10);
  m.set('d', 3);
  expect(keys(m, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
  m.set('e', 4);
  m.set('f', 5);
  expect(keys(m, ['a', 'b', 'c', 'd', 'e', 'f'])).toEqual(['d', 'e', 'f']);
  expect(m.size).toBe(3);
});

it('starts its order again after clear, so a key set again is not evicted by its old place', () => {
  const m = new RingMap<string, number>(3);
  for (const k of ['a', 'b', 'c']) m.set(k, 0);
  m.clear();
  expect(m.size).toBe(0);
  for (const k of ['c', 'x', 'y']) m.set(k, 1);
  expect(keys(m, ['a', 'b', 'c', 'x', 'y'])).toEqual(['c', 'x', 'y']);
  m.set('z', 2);
  expect(keys(m, ['c', 'x', 'y', 'z'])).toEqual(['x', 'y', 'z']);
});
