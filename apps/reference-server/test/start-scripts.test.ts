import { readFileSync } from 'node:fs';
import { REFERENCE_SERVER_NODE_FLAGS } from '@wa-contacts/test-kit';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../src/cli/node-flags.js';

const scripts = (path: string): Record<string, string> =>
  (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

// The servers the tests and the bench start (test-kit) run with the same node flags as npm start.
describe('the start scripts', () => {
  it('give node the flags of REFERENCE_SERVER_NODE_FLAGS', () => {
    expect(REFERENCE_SERVER_NODE_FLAGS).toEqual([
      '--liftoff-only',
      '--heap-growing-percent=50',
      '--max-semi-space-size=4',
    ]);
    const flags = REFERENCE_SERVER_NODE_FLAGS.join(' ');
    expect(scripts('../../../package.json').serve).toMatch(
      new RegExp(` && node ${flags} apps/reference-server/dist/main\\.js$`),
    );
    expect(scripts('../package.json').start).toBe(`node ${flags} dist/main.js`);
    // The bin (wa-contacts-server) and startReferenceServer start node with these too.
    expect(NODE_FLAGS).toEqual(REFERENCE_SERVER_NODE_FLAGS);
  });
});
