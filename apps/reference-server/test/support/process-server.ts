import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';
import { afterEach, beforeAll } from 'vitest';

/** The package root: dist/main.js is the compiled server that `npm start` runs. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = join(PACKAGE_ROOT, 'dist', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Under turbo, the test task depends on build and dist is fresh. Run directly (vitest), dist
 * may be missing or older than src: then it is compiled here with the package's own build
 * (tsc -p tsconfig.build.json), so the process under test is this very source.
 */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(MAIN).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newestMtime(join(PACKAGE_ROOT, 'src'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`building the server failed:\n${result.stdout}${result.stderr}`);
}

/** `node dist/main.js` of this package, with `env` and nothing of the test run's own server variables. */
export function startServerProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<RunningServer> {
  return startReferenceServer({ main: MAIN, cwd: PACKAGE_ROOT, env, nodeArgs });
}

/** The first pino record the server wrote with that message, parsed; undefined until there is one. */
export function logRecord(server: RunningServer, msg: string): Record<string, unknown> | undefined {
  const line = server
    .output()
    .split('\n')
    .find((l) => l.includes(`"msg":${JSON.stringify(msg)}`));
  return line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>);
}

/**
 * For a describe block that starts `node dist/main.js`: builds it first if needed, and stops
 * after each test the server that test started. Returns the start function.
 */
export function useServerProcesses(): (
  env: Record<string, string>,
  nodeArgs?: readonly string[],
) => Promise<RunningServer> {
  let server: RunningServer | undefined;
  beforeAll(ensureBuilt);
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  return async (env, nodeArgs) => (server = await startServerProcess(env, nodeArgs));
}
