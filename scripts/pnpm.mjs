// The one way the workspace's scripts find pnpm: the one running them (`pnpm <script>` sets
// npm_config_user_agent and npm_execpath), else the version package.json pins, through npx.
import { readFileSync } from 'node:fs';

/** The pnpm version of package.json's packageManager ("10.34.9"). */
export function pinnedPnpmVersion() {
  const { packageManager } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return packageManager.replace(/^pnpm@/, '').replace(/\+.*$/, '');
}

/** The running pnpm's script (npm_execpath), when a pnpm (of `version`, if given) runs this process; else undefined. */
export function runningPnpm(version, env = process.env) {
  const agent = env.npm_config_user_agent ?? '';
  return agent.startsWith(version ? `pnpm/${version}` : 'pnpm/') && env.npm_execpath ? env.npm_execpath : undefined;
}

/**
 * `[command, args]` that runs pnpm with `args`: the running one through node, else `fallback`:
 * 'npx' (the pinned version, fetched by npx) or 'path' (whatever `pnpm` is on PATH).
 */
export function pnpmCommand(args, { fallback = 'npx', env = process.env } = {}) {
  const version = fallback === 'npx' ? pinnedPnpmVersion() : undefined;
  const running = runningPnpm(version, env);
  if (running) return [process.execPath, [running, ...args]];
  return fallback === 'npx' ? ['npx', ['-y', `pnpm@${version}`, ...args]] : ['pnpm', args];
}
