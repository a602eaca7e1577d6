#!/usr/bin/env node
// The burst of issue 13 on a PGlite reference server: 64 concurrent `no_wait` checks of 10,000
// fresh numbers each, then the background checks until the queue is empty. Prints the server's
// idle and peak RSS (VmHWM), what process.memoryUsage() said at the peak, the answers' statuses
// and how long a cached 1-number check took during the burst.
// node apps/bench/bin/burst-rss.mjs [runs=3] [extra node flags...]   (build first: pnpm build)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startReferenceServer } from '@wa-contacts/test-kit';

const REQUESTS = 64;
const PER_REQUEST = 10_000;
const CACHED = '16319000000';
const PASSWORD = 'Burst-Pass-1!';
const runs = Number(process.argv[2] ?? 3);
const extraFlags = process.argv.slice(3);
const probe = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

const kb = (pid, field) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const mb = (k) => Math.round(k / 102.4) / 10;

async function call(url, method, path, headers, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** What memory-probe.mjs in the server says: process.memoryUsage() now, and at the highest RSS since the last ask. */
async function probeOf(server, out) {
  rmSync(out, { force: true });
  server.kill('SIGUSR2');
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    try {
      return JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      // not written yet
    }
  }
  throw new Error('the memory probe did not answer');
}

async function once(run) {
  const out = join(tmpdir(), `burst-rss-${process.pid}-${run}.json`);
  const server = await startReferenceServer({
    from: import.meta.url,
    nodeArgs: ['--import', probe, ...extraFlags],
    env: { WA_ADMIN_PASSWORD: PASSWORD, MEMORY_PROBE_OUT: out },
  });
  try {
    const basic = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
    const login = await call(server.url, 'POST', '/v1/users/login', { authorization: basic });
    const auth = { authorization: `Bearer ${login.body.users[0].token}` };
    await call(server.url, 'POST', '/v1/contacts', auth, { contacts: [CACHED], blocking: 'wait' });
    await sleep(3000);
    const idle = kb(server.pid, 'VmRSS');
    const idleUsage = await probeOf(server, out);
    writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
    const numbers = (r) => Array.from({ length: PER_REQUEST }, (_, i) => `1631${2_000_000 + r * PER_REQUEST + i}`);
    const started = performance.now();
    const burst = Array.from({ length: REQUESTS }, (_, r) =>
      call(server.url, 'POST', '/v1/contacts', auth, { contacts: numbers(r), blocking: 'no_wait' }),
    );
    await sleep(200);
    const cachedAt = performance.now();
    const cached = await call(server.url, 'POST', '/v1/contacts', auth, { contacts: [CACHED], blocking: 'no_wait' });
    const cachedMs = performance.now() - cachedAt;
    const answers = await Promise.all(burst);
    const burstMs = performance.now() - started;
    const admitted = answers.flatMap((a, r) => (a.status === 200 ? [r] : []));
    // Until the last admitted request's last number is checked (bounded: 10 minutes).
    const last = admitted.length > 0 ? numbers(admitted.at(-1)).at(-1) : undefined;
    const deadline = performance.now() + 600_000;
    while (last && performance.now() < deadline) {
      const res = await call(server.url, 'POST', '/v1/contacts', auth, { contacts: [last], blocking: 'no_wait' });
      if (res.body.contacts[0].status !== 'processing') break;
      await sleep(250);
    }
    const drainedMs = performance.now() - started;
    const { peak: atPeak } = await probeOf(server, out);
    const peak = kb(server.pid, 'VmHWM');
    rmSync(out, { force: true });
    return {
      run,
      idleMb: mb(idle),
      peakMb: mb(peak),
      idle: idleUsage.now,
      atPeak,
      ok: admitted.length,
      refused: answers.filter((a) => a.status === 429).length,
      other: answers.filter((a) => a.status !== 200 && a.status !== 429).map((a) => a.status),
      cached: `${cached.status} ${cached.body.contacts?.[0]?.status} in ${Math.round(cachedMs)} ms`,
      burstS: Math.round(burstMs / 100) / 10,
      drainedS: Math.round(drainedMs / 100) / 10,
    };
  } finally {
    await server.stop();
  }
}

console.log(`flags: ${extraFlags.join(' ') || '(none beyond npm start)'}`);
for (let run = 1; run <= runs; run++) console.log(JSON.stringify(await once(run)));
