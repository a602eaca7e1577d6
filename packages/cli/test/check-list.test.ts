// The installed CLI (the built bin, as a process) against the reference server (a process too)
// with rate limits on and checks that stay `processing` a while: a 30,000-row export is
// answered row for row, in order; on a terminal the progress bar shows; Ctrl-C and --resume
// give the same file as a run that was not interrupted.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';
import { contactList } from './support/contact-list.js';
import { CLI, cliEnv, runCli } from './support/run-cli.js';

const password = 'Str0ng-Passw0rd!';
const ROWS = 30_000;
let server: RunningServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startReferenceServer({
    from: import.meta.url,
    // 3 checks a second, bursts of 2: four batches in flight with their polls meet 429s.
    env: { WA_RATE_LIMIT: '3/2', WA_CHECK_DELAY_MS: '300', WA_ADMIN_PASSWORD: password },
    timeoutMs: 45_000,
  });
  dir = mkdtempSync(join(tmpdir(), 'wa-contacts-cli-'));
  env = { WA_URL: server.url, WA_USERNAME: 'admin', WA_PASSWORD: password };
});
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tuning = ['--poll-interval', '300', '--batch-size', '2000', '--concurrency', '4'];

describe('wa-contacts check on a 30,000-row export', () => {
  const list = contactList(ROWS, 550);

  it('answers every row once, in order, with the right status, and sets bad rows aside by line', async () => {
    const input = join(dir, 'customers.csv');
    writeFileSync(input, list.csv);
    const out = join(dir, 'checked.csv');
    const rejects = join(dir, 'rejects.csv');
    const run = await runCli(['check', input, '--column', 'phone', '--out', out, '--rejects', rejects, ...tuning], {
      env,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(list.out);
    expect(readFileSync(rejects, 'utf8')).toBe(list.rejects);
    expect(list.answered).toBe(29_970);
    expect(list.bad).toBe(30);
    expect(run.stderr).toMatch(/checked \d+ of 29970/);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `Done: 29970 numbers (this run: 29370 valid, 600 failed); 30 bad row(s) in ${rejects}.`,
    );
  });

  it('shows the progress bar under a pseudo-terminal, and still writes the same file', async () => {
    const input = join(dir, 'customers-tty.csv');
    writeFileSync(input, list.csv);
    const out = join(dir, 'checked-tty.csv');
    const command = [
      process.execPath,
      CLI,
      'check',
      input,
      '--column',
      'phone',
      '--out',
      out,
      '--rejects',
      join(dir, 'r2.csv'),
      ...tuning,
    ]
      .map((word) => `'${word}'`)
      .join(' ');
    // script(1) from util-linux runs the CLI on a pseudo-terminal and copies what it shows.
    const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
      env: cliEnv(env),
      timeout: 150_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stdout).toContain('checking [');
    expect(stdout).toContain('29970/29970 100%');
    expect(stdout).not.toContain('checked 0 of');
    expect(readFileSync(out, 'utf8')).toBe(list.out);
  });
});

describe('Ctrl-C and --resume', () => {
  // Other numbers than above: none is in the server's cache, so the run takes a while.
  const list = contactList(ROWS, 570);

  it('ends cleanly on SIGINT, says how to resume, and the resumed file equals an uninterrupted run', async () => {
    const input = join(dir, 'export.csv');
    writeFileSync(input, list.csv);
    const out = join(dir, 'resumed.csv');
    const rejects = join(dir, 'resumed-rejects.csv');
    const args = ['check', input, '--column', 'phone', '--out', out, '--rejects', rejects, ...tuning];
    // Interrupted once a first batch is written (past the header), so that the run is mid-way.
    const interrupted = await runCli(args, {
      env,
      interruptWhen: () => existsSync(out) && statSync(out).size > 1000,
    });
    expect(interrupted.code).toBe(130);
    const said =
      /Interrupted: (\d+) of 29970 results are in (.+)\. Run the same command with --resume to continue\.\n$/.exec(
        interrupted.stderr,
      );
    expect(said?.[2]).toBe(out);
    const kept = Number(said?.[1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(29_970);
    expect(readFileSync(out, 'utf8')).toBe(
      `${list.out
        .split('\n')
        .slice(0, kept + 1)
        .join('\n')}\n`,
    );

    const again = await runCli(args, { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `wa-contacts: ${out} already exists: add --resume to continue it, or choose another --out\n`,
    );

    const resumed = await runCli([...args, '--resume'], { env });
    expect(resumed.code).toBe(0);
    // Only what was not written yet was checked again.
    const thisRun = /this run: (\d+) valid, (\d+) failed/.exec(resumed.stderr);
    expect(Number(thisRun?.[1]) + Number(thisRun?.[2])).toBe(29_970 - kept);

    const whole = join(dir, 'uninterrupted.csv');
    const wholeRejects = join(dir, 'uninterrupted-rejects.csv');
    const uninterrupted = await runCli(
      ['check', input, '--column', 'phone', '--out', whole, '--rejects', wholeRejects, ...tuning],
      { env },
    );
    expect(uninterrupted.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(readFileSync(out, 'utf8')).toBe(list.out);
    expect(readFileSync(rejects, 'utf8')).toBe(readFileSync(wholeRejects, 'utf8'));
  });
});
