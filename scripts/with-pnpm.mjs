#!/usr/bin/env node
// Lets `npm start` / `npm test` work on a fresh clone with only Node and npm:
// it fetches the pnpm pinned in package.json, installs from the lockfile, then runs pnpm.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node ${process.versions.node} is too old: this workspace needs Node >= 20.19.`);
  process.exit(1);
}

const { packageManager } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const pnpmVersion = packageManager.replace(/^pnpm@/, '').replace(/\+.*$/, '');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

// Reuse the running pnpm when invoked as `pnpm start`; otherwise let npx fetch the pinned one.
const runningPnpm = (env.npm_config_user_agent ?? '').startsWith(`pnpm/${pnpmVersion}`) && env.npm_execpath;
const pnpm = (args) =>
  runningPnpm
    ? spawnSync(process.execPath, [env.npm_execpath, ...args], { stdio: 'inherit', env })
    : spawnSync('npx', ['-y', `pnpm@${pnpmVersion}`, ...args], {
        stdio: 'inherit',
        env,
        shell: process.platform === 'win32',
      });

const install = pnpm(['install', '--frozen-lockfile', '--reporter=append-only']);
if (install.status !== 0) process.exit(install.status ?? 1);
const run = pnpm(process.argv.slice(2));
process.exit(run.status ?? 1);
