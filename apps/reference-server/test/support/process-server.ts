import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the server failed:\n${result.stdout}${result.stderr}`);
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the signal once the process has exited. */
  exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * Starts `node dist/main.js` on 127.0.0.1 with PORT=0 (the OS picks a free port) and resolves
 * once it listens, with the URL its banner prints. Only `env` and the basics (PATH, HOME) are
 * passed on, so a DATABASE_URL of the test run never leaks into a PGlite server.
 */
export function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /reference server on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1]!, stderr: () => stderr, exited });
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${String(how)}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}
