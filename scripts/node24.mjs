#!/usr/bin/env node
// CI's second Node: builds every package and runs their test suites again under Node 24 (npm's
// `node` package, through npx), on PGlite only: PostgreSQL's half and the parts in NODE20_ONLY run
// on Node 20 alone. Each package's report is kept as .tmp/vitest-node24.json for test-summary.mjs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node24 = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], { encoding: 'utf8' }).trim();
// First on PATH: turbo, pnpm, tsc and vitest all start `node` from there.
const env = { ...process.env, PATH: `${dirname(node24)}${delimiter}${process.env.PATH}` };
delete env.DATABASE_URL;
const version = execFileSync('node', ['--version'], { env, encoding: 'utf8' }).trim();
if (!version.startsWith('v24.')) throw new Error(`expected Node 24 first on PATH, got ${version}`);
console.log(`Node ${version}: build and test (PGlite only)`);

const started = Date.now();
// --cache=local: neither reads nor writes turbo's cache, whose hashes do not include the Node version.
const turbo = (args) =>
  execFileSync('turbo', ['run', '--cache=local:', '--output-logs=errors-only', ...args], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
// Builds first (test depends on build); the arguments after -- go to vitest, not to tsc.
// Dredd, the bench, and the reference server's storage, concurrency, load, external, browser and
// domain tests (units of its logic; the HTTP tests reach the same code) run on Node 20 alone (CI
// time); its HTTP, webhook and CLI tests still run, on the PGlite adapter.
// test/package installs the packed tarballs with npm from the registry: npx's Node 24 does not
// trust this machine's registry certificate chain (SELF_SIGNED_CERT_IN_CHAIN, retried for minutes).
const NODE20_ONLY = [
  'test/storage/**',
  'test/concurrency/**',
  'test/load/**',
  'test/external/**',
  'test/browser/**',
  'test/domain/**',
  'test/package/**',
];
try {
  turbo([
    'test',
    '--filter=!@wa-contacts/bench',
    '--filter=!@wa-contacts/contract-tests',
    '--continue',
    '--',
    ...NODE20_ONLY.flatMap((glob) => ['--exclude', glob]),
  ]);
} finally {
  // Kept even when a suite failed: the summary counts the failures.
  for (const group of ['packages', 'apps', 'examples']) {
    for (const name of readdirSync(join(root, group))) {
      const report = join(root, group, name, '.tmp', 'vitest.json');
      if (existsSync(report) && statSync(report).mtimeMs >= started)
        copyFileSync(report, join(dirname(report), 'vitest-node24.json'));
    }
  }
}
console.log(`Node ${version}: done in ${Math.round((Date.now() - started) / 1000)} s`);
