#!/usr/bin/env node
// Drift check: regenerates every generated file (bundled spec, types, server stubs) and fails
// when the result differs from what is in the working tree, i.e. what was committed in CI.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const GENERATED = [
  'spec/bundled',
  'packages/types/src/generated',
  'packages/server/src/generated',
  'packages/client/src/generated',
];

const snapshot = () => {
  const files = new Map();
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  for (const dir of GENERATED) walk(join(root, dir));
  return files;
};

const before = snapshot();
// --force: regenerate for real instead of restoring turbo's cache of the same inputs.
execFileSync('turbo', ['run', 'bundle', 'generate', '--force', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
const after = snapshot();

const stale = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
if (stale.length > 0) {
  console.error(`\nDrift: ${stale.length} generated file(s) do not match the spec:\n  ${stale.join('\n  ')}`);
  console.error('They have been regenerated in place: review and commit them (`pnpm generate` does the same).');
  process.exit(1);
}
console.log(`drift check: ${after.size} generated files match the spec`);
