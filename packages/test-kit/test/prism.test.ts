import { afterAll, expect, it } from 'vitest';
import { startPrism, type RunningServer } from '../src/index.js';
import { fixture } from './helpers.js';

let prism: RunningServer | undefined;
afterAll(() => prism?.stop());

it('starts Prism on a port of its own choosing and reads it from its log', async () => {
  prism = await startPrism({ spec: fixture('mini-openapi.yaml') });
  expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(prism.url).not.toMatch(/:0$/);
  const res = await fetch(`${prism.url}/ping`);
  expect([res.status, await res.json()]).toEqual([200, { pong: true }]);
});
