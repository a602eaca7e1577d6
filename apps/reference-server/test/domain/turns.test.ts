import { expect, it } from 'vitest';
import { Turns } from '../../src/domain/turns.js';

const nextIteration = () => new Promise((resolve) => setImmediate(resolve));

it('gives one turn per iteration of the event loop, in the order asked', async () => {
  const turns = new Turns();
  const order: string[] = [];
  const all = ['a', 'b', 'c'].map((name) => turns.next().then(() => order.push(name)));
  await nextIteration();
  expect(order).toEqual(['a']);
  await nextIteration();
  expect(order).toEqual(['a', 'b']);
  await Promise.all(all);
  expect(order).toEqual(['a', 'b', 'c']);
});
