// The environments of the release's commands: none of the workspace's own settings leak in.
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Context } from './context.js';
import { capture } from './processes.js';

/**
 * process.env without what `pnpm release:verdaccio` itself adds: the workspace's npm_* settings
 * and its node_modules/.bin on PATH, which must not reach the copy or the consumer.
 */
export function cleanEnv(root: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|INIT_CWD$|TURBO_(?!TELEMETRY))/i.test(key)) env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((entry) => entry && !entry.startsWith(root + sep) && entry !== root)
    .join(':');
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', REDOCLY_TELEMETRY: 'off', ...extra };
}

/** cleanEnv with the pinned pnpm first on PATH (`changeset publish` runs `pnpm publish`). */
export function pnpmEnv(ctx: Context, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(ctx.root, extra);
  return { ...env, PATH: `${ctx.shimDir}:${env.PATH}` };
}

/**
 * The pinned pnpm: the one running this script (`pnpm release:verdaccio`), or else the one npx
 * fetches, located once here with the usual registry (the release itself only sees Verdaccio,
 * where npx would find no pnpm).
 */
export async function locatePnpm(root: string, version: string): Promise<string> {
  const { npm_config_user_agent: agent = '', npm_execpath: execPath } = process.env;
  if (agent.startsWith(`pnpm/${version}`) && execPath) return execPath;
  const output = await capture('npx', ['-y', '-p', `pnpm@${version}`, '-c', 'command -v pnpm'], root);
  return realpath(output.trim().split('\n').at(-1)!);
}

/** A folder with a `pnpm` that runs the pinned one, for PATH. */
export async function pnpmShim(dir: string, pnpmPath: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const script = `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(pnpmPath)} "$@"\n`;
  await writeFile(join(dir, 'pnpm'), script, { mode: 0o755 });
  return dir;
}
