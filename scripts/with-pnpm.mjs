#!/usr/bin/env node
// Lets `npm start` / `npm test` work on a fresh clone with only Node and npm:
// it fetches the pnpm pinned in package.json, installs from the lockfile, then runs pnpm.
import { spawnSync } from 'node:child_process';
import { pnpmCommand } from './pnpm.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node ${process.versions.node} is too old: this workspace needs Node >= 20.19.`);
  process.exit(1);
}

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

// Reuse the running pnpm when invoked as `pnpm start`; otherwise let npx fetch the pinned one.
const pnpm = (args) => {
  const [command, commandArgs] = pnpmCommand(args, { env });
  return spawnSync(command, commandArgs, {
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32' && command === 'npx',
  });
};

const install = pnpm(['install', '--frozen-lockfile', '--reporter=append-only']);
if (install.status !== 0) process.exit(install.status ?? 1);
const run = pnpm(process.argv.slice(2));
process.exit(run.status ?? 1);
