// scripts/release.mjs (`pnpm release`) in a scratch project whose steps only record that they
// ran: a red step stops the release before `changeset version` and `changeset publish`, and
// RELEASE_SKIP_CHECKS skips the checks but never the build. The real thing, against a real
// registry, is `pnpm release:verdaccio` (release/verdaccio-release.mjs), whose gate does the
// same with a hand-edited generated file.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const releaseScript = fileURLToPath(new URL('../../../scripts/release.mjs', import.meta.url));
// The pnpm running the tests (`pnpm test`, turbo): release.mjs runs its steps with it.
const pnpm = (process.env.npm_config_user_agent ?? '').startsWith('pnpm/') ? process.env.npm_execpath : undefined;
const hasPnpmOnPath = spawnSync('pnpm', ['--version']).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-steps-'));
  // The script where it lives in the repository: scripts/release.mjs, next to its package.json.
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(releaseScript, join(dir, 'scripts', 'release.mjs'));
  // Each step appends its name to steps.log and fails when it is named in FAIL_AT.
  writeFileSync(
    join(dir, 'record.mjs'),
    `import { appendFileSync } from 'node:fs';
const step = process.argv[2];
appendFileSync(new URL('./steps.log', import.meta.url), step + '\\n');
process.exit((process.env.FAIL_AT ?? '').split(',').includes(step) ? 1 : 0);
`,
  );
  const record = (step: string) => `node record.mjs ${step}`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'release-steps',
      private: true,
      scripts: { check: record('check'), contract: record('contract'), build: record('build') },
    }),
  );
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  const changeset = join(dir, 'node_modules', '.bin', 'changeset');
  writeFileSync(changeset, `#!/bin/sh\nexec node "${join(dir, 'record.mjs')}" "changeset-$1"\n`);
  chmodSync(changeset, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function release(env: Record<string, string>) {
  rmSync(join(dir, 'steps.log'), { force: true });
  const result = spawnSync(process.execPath, [join(dir, 'scripts', 'release.mjs')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, RELEASE_SKIP_CHECKS: '', FAIL_AT: '', ...env },
  });
  const log = join(dir, 'steps.log');
  return {
    status: result.status,
    output: result.stdout + result.stderr,
    steps: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [],
  };
}

// Each step is a real `pnpm run`: half a second on an idle machine, several on a busy one.
describe.skipIf(!pnpm || !hasPnpmOnPath)('pnpm release (scripts/release.mjs)', { timeout: 120_000 }, () => {
  it('runs the checks, the contract tests, the build, then changeset version and publish', () => {
    const result = release({});
    expect(result.status).toBe(0);
    expect(result.steps).toEqual(['check', 'contract', 'build', 'changeset-version', 'changeset-publish']);
  });

  it.each([['check'], ['changeset-version']])('stops at a red %s: nothing after it runs', (red) => {
    const result = release({ FAIL_AT: red });
    expect(result.status).not.toBe(0);
    expect(result.steps.at(-1)).toBe(red);
    expect(result.steps).not.toContain('changeset-publish');
    expect(result.output).toMatch(/release stopped, nothing was published/);
  });

  it('does not run the contract tests twice when `pnpm check` runs them', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const original = JSON.stringify(manifest);
    manifest.scripts.check = 'node record.mjs check && pnpm run contract';
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    try {
      const result = release({});
      expect(result.status).toBe(0);
      expect(result.steps).toEqual(['check', 'contract', 'build', 'changeset-version', 'changeset-publish']);
      expect(result.output).toMatch(/contract tests \(pnpm contract\): skipped \(pnpm check ran them\)/);
    } finally {
      writeFileSync(join(dir, 'package.json'), original);
    }
  });

  it('with RELEASE_SKIP_CHECKS=1, skips the checks (saying so) but not the build', () => {
    const skipped = release({ RELEASE_SKIP_CHECKS: '1', FAIL_AT: 'check,contract' });
    expect(skipped.status).toBe(0);
    expect(skipped.steps).toEqual(['build', 'changeset-version', 'changeset-publish']);
    expect(skipped.output).toMatch(/checks and contract tests are SKIPPED/);
  });
});
