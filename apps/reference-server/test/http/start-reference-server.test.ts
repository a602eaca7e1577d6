import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiSession, referenceServerMain, startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';

// test-kit's process helpers, on this server: here, because test-kit cannot depend on the server
// (the server's tests depend on test-kit). The package finds its own main through its exports map.
const MAIN = referenceServerMain(import.meta.url);
const PASSWORD = 'Test-Kit-Pass-1!';

/** The status of a sandbox inbound message, sent as the admin. */
async function inbound(url: string): Promise<number> {
  const api = await createApiSession(url, { username: 'admin', password: PASSWORD });
  return (await api.request('POST', '/sandbox/inbound', { json: { from: '16315550003', text: 'hi' } })).status;
}

describe('startReferenceServer', () => {
  it('finds dist/main.js through the exports map (@wa-contacts/reference-server/main)', () => {
    expect(MAIN).toBe(fileURLToPath(new URL('../../dist/main.js', import.meta.url)));
  });

  let server: RunningServer | undefined;
  let dataDir: string | undefined;
  const saved = Object.fromEntries(
    ['DATABASE_URL', 'WA_SANDBOX', 'PORT', 'LOG_LEVEL'].map((name) => [name, process.env[name]]),
  );
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  // CI exports DATABASE_URL for the storage tests; the bench's "PGlite" server once picked it up.
  it("runs in memory with the sandbox on, whatever the test process's environment holds", async () => {
    process.env.DATABASE_URL = 'postgres://nobody:nothing@127.0.0.1:1/none';
    process.env.WA_SANDBOX = 'off';
    process.env.PORT = '1';
    process.env.LOG_LEVEL = 'fatal';
    server = await startReferenceServer({ from: import.meta.url, env: { WA_ADMIN_PASSWORD: PASSWORD } });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:(0|1)$/);
    await vi.waitFor(() => expect(server!.output()).toContain('database: PGlite, throwaway'));
    expect(server.output()).toContain('sandbox: on');
    expect(await inbound(server.url)).toBe(200);
  });

  it('passes on what the caller gives: its variables and node flags, after the flags of npm start', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'test-kit-pglite-'));
    server = await startReferenceServer({
      main: MAIN,
      env: { WA_DATA_DIR: dataDir, WA_SANDBOX: 'off', WA_ADMIN_PASSWORD: PASSWORD },
      nodeArgs: ['--max-old-space-size=300'],
    });
    await vi.waitFor(() => expect(server!.output()).toContain(`database: PGlite in ${dataDir}`));
    expect(server.output()).toContain('sandbox: off');
    expect(await inbound(server.url)).toBe(404);
    // The pid is the server's own node process (the bench reads its RSS and CPU time).
    expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0')).toEqual([
      process.execPath,
      '--liftoff-only',
      '--heap-growing-percent=50',
      '--max-semi-space-size=4',
      '--max-old-space-size=300',
      MAIN,
      '',
    ]);
  });

  it('says how to build the server when its dist/main.js is missing', async () => {
    await expect(startReferenceServer({ main: '/nowhere/dist/main.js' })).rejects.toThrow(
      /\/nowhere\/dist\/main\.js does not exist: build the server first/,
    );
  });
});
