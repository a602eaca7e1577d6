import { readFileSync } from 'node:fs';
import { referenceServerMain, referenceServerNodeFlags } from '@wa-contacts/test-kit';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../src/cli/node-flags.js';

const scripts = (path: string): Record<string, string> =>
  (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

// npm start, the root `serve` script and the servers the tests and the bench start (test-kit) run with NODE_FLAGS.
describe('the start scripts', () => {
  it('give node the flags of NODE_FLAGS', async () => {
    expect(NODE_FLAGS).toEqual(['--liftoff-only', '--heap-growing-percent=50', '--max-semi-space-size=4']);
    const flags = NODE_FLAGS.join(' ');
    expect(scripts('../../../package.json').serve).toMatch(
      new RegExp(` && node ${flags} apps/reference-server/dist/main\\.js$`),
    );
    expect(scripts('../package.json').start).toBe(`node ${flags} dist/main.js`);
    // test-kit reads them from the build it starts, through the package's `./node-flags` export.
    expect(await referenceServerNodeFlags(referenceServerMain(import.meta.url))).toEqual(NODE_FLAGS);
  });
});
