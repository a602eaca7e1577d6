import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, type RunningServer } from '@wa-contacts/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport } from '../support/api-client.js';
import { TEST_PASSWORD, login } from '../support/harness.js';
import { MAIN, PACKAGE_ROOT, ensureBuilt, startServerProcess } from '../support/process-server.js';

/**
 * One server per PGlite folder: a second `node dist/main.js` on the WA_DATA_DIR of a running
 * one refuses to start (two would each write their own view of the database over the other's
 * files), while a lock left by a process that is gone is taken over.
 */

const LOCK_FILE = 'reference-server.pid';
const TIMEOUT = 120_000;
/** Long enough for a server to start and listen: one that did not exit by then runs. */
const REFUSAL_WAIT_MS = 30_000;

let dataDir: string;
const running = new Set<RunningServer>();
beforeAll(() => ensureBuilt(), TIMEOUT);
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wa-lock-test-'));
});
afterEach(async () => {
  await Promise.all([...running].map((s) => s.stop()));
  running.clear();
  await rm(dataDir, { recursive: true, force: true });
});
afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop()));
});

const envFor = () => ({ WA_DATA_DIR: dataDir, WA_ADMIN_PASSWORD: TEST_PASSWORD });

async function start(): Promise<RunningServer> {
  const server = await startServerProcess(envFor());
  running.add(server);
  return server;
}

/** `node dist/main.js` on dataDir, expected to exit: its exit code and what it wrote (code null: still running after REFUSAL_WAIT_MS, then stopped). */
async function runExpectingExit(): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: PACKAGE_ROOT,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...envFor() }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), REFUSAL_WAIT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

async function canLogIn(server: RunningServer): Promise<void> {
  const api = createApiClient(fetchTransport(server.url), { version: loadConfig(envFor()).apiVersion });
  expect(await login(api, 'admin', TEST_PASSWORD)).toMatch(/.+/);
}

it(
  'refuses a second server on the folder of a running one, naming the folder and the owner, while the first keeps serving',
  async () => {
    const first = await start();
    expect((await readFile(join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(first.pid));

    const second = await runExpectingExit();
    expect(second.code).toBe(1);
    expect(second.output).toContain(
      `The reference server could not start: The PGlite data folder ${dataDir} is in use by another reference server (pid ${first.pid})`,
    );

    await canLogIn(first);
    expect((await readFile(join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(first.pid));
  },
  TIMEOUT,
);

it(
  'lets a new server start once the first has stopped, and removes the lock at each stop',
  async () => {
    const first = await start();
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    running.delete(first);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

    const next = await start();
    await canLogIn(next);
    expect((await readFile(join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(next.pid));
    expect(await next.stop()).toEqual({ code: 0, signal: null });
    running.delete(next);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  },
  TIMEOUT,
);

it(
  'takes over a lock left by a process that is gone',
  async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, LOCK_FILE), `${gone}\n`);

    const server = await start();
    await canLogIn(server);
    expect((await readFile(join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(server.pid));
  },
  TIMEOUT,
);

it(
  'takes over the lock of a server that was killed -9',
  async () => {
    const killed = await start();
    killed.kill('SIGKILL');
    await killed.exited;
    running.delete(killed);
    expect((await readFile(join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(killed.pid));

    const server = await start();
    await canLogIn(server);
    expect((await readFile(join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(server.pid));
  },
  TIMEOUT,
);
