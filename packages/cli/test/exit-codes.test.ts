// The documented exit codes and messages, with the built bin against the reference server
// (a process, rate limits on) whose factory account still has its first-login password.
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';
import { runCli } from './support/run-cli.js';

const newPassword = 'An0ther-Passw0rd!';
let server: RunningServer;

beforeAll(async () => {
  server = await startReferenceServer({ from: import.meta.url, env: { WA_RATE_LIMIT: 'on' }, timeoutMs: 45_000 });
});
afterAll(async () => {
  await server?.stop();
});

/** A port nothing listens on: one the OS just gave and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const list = '+1 631-555-4001\n\n(631) 555-4002\nnot a number\n';

describe('exit codes (the tests run in order: the third sets the password)', () => {
  it('3 at the first login of the factory account without --new-password, before any file is made', async () => {
    // An --out file left with only a header would need --resume on the next try.
    const out = join(mkdtempSync(join(tmpdir(), 'wa-contacts-cli-')), 'checked.csv');
    const run = await runCli(['check', '--out', out], {
      env: { WA_URL: server.url, WA_USERNAME: 'admin', WA_PASSWORD: 'secret' },
      stdin: list,
    });
    expect(existsSync(out)).toBe(false);
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: 'wa-contacts: this is the first login of this account: give the new password with --new-password\n',
    });
  });

  it('3 when the password is refused, which is never printed', async () => {
    const run = await runCli(['check', '--url', server.url, '--username', 'admin', '--password', 'Wr0ng-Secret!'], {
      env: {},
      stdin: list,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^wa-contacts: the server refused the username or password \(.*\)\n$/);
    expect(run.stderr + run.stdout).not.toContain('Wr0ng-Secret!');
  });

  it('0 for a plain list on stdin with --new-password; stdout holds only the JSON Lines results', async () => {
    const run = await runCli(['check', '--new-password', newPassword, '--format', 'jsonl', '--poll-interval', '100'], {
      env: { WA_URL: server.url, WA_USERNAME: 'admin', WA_PASSWORD: 'secret' },
      stdin: list,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        '{"input":"+1 631-555-4001","status":"valid","wa_id":"16315554001"}',
        '{"input":"(631) 555-4002","status":"valid","wa_id":"16315554002"}',
        '{"input":"not a number","status":"failed"}',
        '',
      ].join('\n'),
    );
    expect(run.stderr.trim().split('\n').at(-1)).toBe('Done: 3 numbers (this run: 2 valid, 1 failed).');
  });

  it('2 for a bad row without --rejects, naming its line, before any check', async () => {
    const run = await runCli(['check', '--input-format', 'csv', '--column', 'phone'], {
      env: { WA_URL: server.url, WA_USERNAME: 'admin', WA_PASSWORD: newPassword },
      stdin: 'name,phone\nAda,+16315554001\nBob,  \n',
    });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'wa-contacts: line 3: the number is empty (1 bad row(s) in all; --rejects FILE sets them aside and goes on)\n',
    });
  });

  it('2 for an unknown column or option', async () => {
    const env = { WA_URL: server.url, WA_USERNAME: 'admin', WA_PASSWORD: newPassword };
    const column = await runCli(['check', '--input-format', 'csv', '--column', 'mobile'], {
      env,
      stdin: 'name,phone\nAda,+16315554001\n',
    });
    expect(column).toEqual({
      code: 2,
      stdout: '',
      stderr: 'wa-contacts: no column named "mobile"; the columns are: name, phone\n',
    });
    const option = await runCli(['check', '--colour'], { env });
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^wa-contacts: Unknown option '--colour'/);
  });

  it('4 when nothing answers at the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(['check'], {
      env: { WA_URL: url, WA_USERNAME: 'admin', WA_PASSWORD: newPassword },
      stdin: list,
    });
    expect(run).toEqual({ code: 4, stdout: '', stderr: `wa-contacts: cannot reach ${url}: ECONNREFUSED\n` });
  });

  it('0 and the usage with examples for --help', async () => {
    const run = await runCli(['--help'], { env: {} });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: wa-contacts check \[FILE\] \[options\]\n/);
    expect(run.stdout).toContain(
      'Exit codes: 0 done, 1 unexpected error, 2 bad input or arguments, 3 authentication refused,',
    );
    expect(run.stdout).toContain('wa-contacts check customers.csv --out checked.csv --resume');
  });
});
