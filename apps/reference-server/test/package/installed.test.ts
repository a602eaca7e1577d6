import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cleanEnv, startServer, type RunningServer } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user gets it: packed tarballs installed with plain npm in a folder outside the repository.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKED = ['spec', 'packages/types', 'packages/server', 'apps/reference-server'];
const PASSWORD = 'Installed-Pass-1!';
const pnpmVersion = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string }
).packageManager
  .replace(/^pnpm@/, '')
  .replace(/\+.*$/, '');

const run = promisify(execFile);
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wa-contacts-installed-'));
  const tarballs = join(folder, 'tarballs');
  await mkdir(tarballs);
  for (const dir of PACKED) {
    // No prepack: the tests use the dist/ already built, and other test files run it meanwhile.
    execFileSync(
      'npx',
      ['-y', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', tarballs, '--config.ignore-scripts=true'],
      { cwd: join(ROOT, dir), stdio: 'pipe' },
    );
  }
  await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const files = (await readdir(tarballs)).map((file) => `./tarballs/${file}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], {
    cwd: folder,
    stdio: 'pipe',
    // As a user's npm: the workspace's engine-strict (pnpm passes it on as npm_config_*) would turn
    // the known warning (cookie@2.0.2, under fastify's light-my-request, asks for Node 22) into an error.
    env: { ...process.env, npm_config_engine_strict: 'false' },
  });
}, 300_000);

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function checkOneNumber(url: string): Promise<unknown> {
  const login = await fetch(`${url}/v1/users/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
  });
  expect(login.status).toBe(200);
  const { users } = (await login.json()) as { users: Array<{ token: string }> };
  const check = await fetch(`${url}/v1/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${users[0]!.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ blocking: 'wait', contacts: ['+1 631-555-0102'] }),
  });
  expect(check.status).toBe(200);
  return check.json();
}

/** Whether process `pid` is gone within `ms` (polled every 100 ms). */
async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}

const CHECKED = {
  meta: { api_status: 'stable', version: 'v2.45.1' },
  contacts: [{ input: '+1 631-555-0102', status: 'valid', wa_id: '16315550102' }],
};

describe('@wa-contacts/reference-server installed from its tarball', () => {
  it('answers --help with its flags and their defaults', () => {
    const help = execFileSync('npx', ['wa-contacts-server', '--help'], { cwd: folder, env: cleanEnv() }).toString();
    expect(help).toContain('--data-dir DIR');
    expect(help).toContain('[PORT, default 8080]');
  });

  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('serves the API with `npx wa-contacts-server --port 0 --data-dir memory`', async () => {
    server = await startServer({
      name: 'npx wa-contacts-server',
      command: 'npx',
      args: ['wa-contacts-server', '--port', '0', '--data-dir', 'memory', '--admin-password', PASSWORD],
      cwd: folder,
      env: cleanEnv(),
      ready: /reference server on (http:\/\/\S+)/,
      timeoutMs: 120_000,
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.output()).toContain(`curl -s -u admin:<password> -X POST ${server.url}/v1/users/login`);
    expect(await checkOneNumber(server.url)).toEqual(CHECKED);
    // SIGTERM to the process group (npx, the bin, the server): the server shuts down once and exits.
    const pid = Number(/"pid":(\d+).*"msg":"listening"/.exec(server.output())?.[1]);
    await server.stop();
    expect(await exitedWithin(pid, 15_000)).toBe(true);
    expect(server.output().match(/"msg":"shutting down"/g)).toHaveLength(1);
  }, 180_000);

  it('starts from a plain ESM script with startReferenceServer, and closes', async () => {
    const script = join(folder, 'start.mjs');
    await writeFile(
      script,
      `import { startReferenceServer } from '@wa-contacts/reference-server';
const server = await startReferenceServer({ adminPassword: ${JSON.stringify(PASSWORD)} });
const basic = Buffer.from(\`\${server.admin.username}:\${server.admin.password}\`).toString('base64');
const login = await fetch(\`\${server.url}/v1/users/login\`, { method: 'POST', headers: { authorization: \`Basic \${basic}\` } });
const { users } = await login.json();
const check = await fetch(\`\${server.url}/v1/contacts\`, {
  method: 'POST',
  headers: { authorization: \`Bearer \${users[0].token}\`, 'content-type': 'application/json' },
  body: JSON.stringify({ blocking: 'wait', contacts: ['+1 631-555-0102'] }),
});
console.log(JSON.stringify(await check.json()));
await server.close();
console.log(JSON.stringify({ closed: server.pid, alive: (() => { try { process.kill(server.pid, 0); return true; } catch { return false; } })() }));
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: folder, env: cleanEnv(), timeout: 120_000 });
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual(CHECKED);
    expect(JSON.parse(lines[1]!)).toMatchObject({ alive: false });
  }, 180_000);
});
