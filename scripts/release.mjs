#!/usr/bin/env node
// `pnpm release`: every check, the build, then `changeset version` and `changeset publish`.
// The steps run one after the other and the first one that fails stops the release, so a red
// check can never be followed by a publish.
//
// RELEASE_SKIP_CHECKS=1 skips the checks (drift, lint, typecheck, tests, contract tests), for a
// pipeline that has just run them on the same commit (CI after `npm test`, and
// `pnpm release:verdaccio`). The build always runs: the packages ship their dist/.
//
// Where it publishes is npm's usual configuration: the @wa-contacts:registry (or registry)
// setting of .npmrc or of the environment, with its auth token.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const skipChecks = ['1', 'true'].includes(process.env.RELEASE_SKIP_CHECKS ?? '');

// `pnpm release` runs this with npm_execpath set to the running pnpm: reuse it for the steps.
const pnpm = (args) =>
  (process.env.npm_config_user_agent ?? '').startsWith('pnpm/') && process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath, ...args]]
    : ['pnpm', args];

// The drift check comes first (it is the first thing `pnpm check` does): the build runs
// `bundle` and `generate`, which would overwrite a hand-edited generated file before the drift
// check could see it. The check builds every package on the way (lint and test depend on build),
// so the build step after it is a turbo cache hit; it stays for RELEASE_SKIP_CHECKS.
// When `pnpm check` runs the contract tests itself, they are not run a second time.
const { scripts = {} } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const checkRunsContract = /\bpnpm (run )?contract\b/.test(scripts.check ?? '');
const steps = [
  {
    name: 'checks: drift, lint, typecheck, tests, changeset status (pnpm check)',
    run: pnpm(['run', 'check']),
    check: true,
  },
  {
    name: 'contract tests (pnpm contract)',
    run: pnpm(['run', 'contract']),
    check: true,
    skip: checkRunsContract && 'pnpm check ran them',
  },
  { name: 'build (pnpm build)', run: pnpm(['run', 'build']) },
  { name: 'changeset version', run: pnpm(['exec', 'changeset', 'version']) },
  { name: 'changeset publish', run: pnpm(['exec', 'changeset', 'publish']) },
];

// `changeset publish` calls `pnpm publish` through PATH; without it every publish would fail
// after the versions were bumped, so find out now.
const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
if (onPath.status !== 0) {
  console.error('release: `changeset publish` runs `pnpm publish`, and there is no pnpm on PATH.');
  console.error('Run it as `npx -y pnpm@10.34.9 release`, or enable corepack.');
  process.exit(1);
}

const registry =
  process.env['npm_config_@wa-contacts:registry'] ??
  process.env.npm_config_registry ??
  'the registry of your npm configuration';
console.log(`release: publishing to ${registry}`);
if (skipChecks) {
  console.log(
    'release: RELEASE_SKIP_CHECKS=1: the checks and contract tests are SKIPPED (they must have passed on this commit already)',
  );
}

const started = Date.now();
for (const [index, step] of steps.entries()) {
  const label = `release step ${index + 1}/${steps.length}: ${step.name}`;
  if (step.check && skipChecks) {
    console.log(`\n── ${label}: skipped (RELEASE_SKIP_CHECKS)`);
    continue;
  }
  if (step.skip) {
    console.log(`\n── ${label}: skipped (${step.skip})`);
    continue;
  }
  console.log(`\n── ${label}`);
  const stepStarted = Date.now();
  const [command, args] = step.run;
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
  if (result.status !== 0) {
    const published =
      index === steps.length - 1
        ? 'the publish itself failed: check the registry for what made it'
        : 'nothing was published';
    console.error(
      `\n✗ ${label} failed (exit ${result.status ?? result.signal}, ${seconds}s): release stopped, ${published}.`,
    );
    process.exit(result.status || 1);
  }
  console.log(`── ${label}: done in ${seconds}s`);
}
console.log(`\n✓ release done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
