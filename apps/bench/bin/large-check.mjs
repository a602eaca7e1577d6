#!/usr/bin/env node
// A check of many cached numbers, one request at a time: the server spawned as `npm start` runs
// it (PGlite in a throwaway folder), the numbers checked once (`blocking: wait`), then `runs`
// requests of the same body in a row, each read to its end; prints the median and fastest
// latency and the server's CPU per request. With WA_BENCH_MAIN=path/to/dist/main.js the other
// build and this workspace's take turns, `rounds` times each, so the machine's noise hits both.
// node apps/bench/bin/large-check.mjs [count=10000] [runs=40] [rounds=3]   (build first)
import { createApiSession, startReferenceServer } from '@wa-contacts/test-kit';
import { checkNumbers } from '../dist/numbers.js';
// User + system CPU of a process, ms (/proc, 10 ms ticks).
import { cpuTimeMs } from '../dist/processes.js';

const COUNT = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 40);
const ROUNDS = Number(process.argv[4] ?? 3);
for (const [name, n, max] of [
  ['count', COUNT, 10_000],
  ['runs', RUNS, 10_000],
  ['rounds', ROUNDS, 100],
])
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new Error(`${name}: a whole number from 1 to ${max}, got ${n}`);
const ADMIN = { username: 'admin', password: 'Bench-Pass-1!' };
const builds = [
  ...(process.env.WA_BENCH_MAIN ? [{ name: 'other', main: process.env.WA_BENCH_MAIN }] : []),
  { name: 'this', main: undefined },
];
const body = JSON.stringify({ blocking: 'wait', contacts: checkNumbers(COUNT).map((n) => n.input) });

async function measure(build) {
  const server = await startReferenceServer({
    name: build.name,
    ...(build.main ? { main: build.main } : { from: import.meta.url }),
    env: { WA_ADMIN_USERNAME: ADMIN.username, WA_ADMIN_PASSWORD: ADMIN.password, WA_RATE_LIMIT: 'off' },
    timeoutMs: 60_000,
  });
  try {
    const { token } = await createApiSession(server.url, ADMIN);
    const send = async () => {
      const res = await fetch(`${server.url}/v1/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${res.status}: ${text.slice(0, 200)}`);
      return text;
    };
    const first = JSON.parse(await send());
    const valid = first.contacts.filter((c) => c.status === 'valid').length;
    if (valid !== COUNT) throw new Error(`${valid} of ${COUNT} numbers valid after the first check`);
    const times = [];
    const cpuBefore = cpuTimeMs(server.pid);
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await send();
      times.push(performance.now() - started);
    }
    const cpu = ((cpuTimeMs(server.pid) - cpuBefore) * 1000) / RUNS;
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], fastest: times[0], cpu };
  } finally {
    await server.stop();
  }
}

console.log(`${COUNT} cached numbers per request, ${RUNS} requests in a row`);
for (let round = 1; round <= ROUNDS; round++) {
  for (const build of builds) {
    const m = await measure(build);
    console.log(
      `round ${round} ${build.name.padEnd(5)} median ${m.median.toFixed(1)} ms  fastest ${m.fastest.toFixed(1)} ms  server CPU ${(m.cpu / 1000).toFixed(1)} ms/request`,
    );
  }
}
