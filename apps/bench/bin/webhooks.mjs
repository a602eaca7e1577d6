#!/usr/bin/env node
// Webhook delivery of the reference server, measured (issue 15's performance goals):
// 1. throughput: `events` inbound messages over 500 contacts (WA_BENCH_CONTACTS), 16 requests at a time, to a local
//    receiver that answers 200 at once: callbacks per second, server CPU per event (the request
//    that caused it included), event-to-delivery latency (p50, p99) with the server saturated;
// 1b. paced: 1,000 events at 50/s, below what the server takes, and their event-to-delivery latency;
// 2. drain: the receiver is down while `backlog` events arrive; when it is back (the sandbox
//    clock moved past the back-off), the time to drain with no API request meanwhile: callbacks
//    per second and server CPU per callback measure delivery alone (issue 15's 5,000/s goal),
//    apart from how fast the bench can produce events; whether each contact's callbacks came in
//    order and none was lost, the server's peak RSS;
// 3. backlog: the same while a cached 1-number check is timed every 20 ms (from a worker thread,
//    apart from the receiver's work), against its idle figure (the API's latency within 2x of
//    idle while a backlog drains); the drain rate it leaves.
// node apps/bench/bin/webhooks.mjs [events=5000] [backlog=20000]   (build first; PostgreSQL too when DATABASE_URL is set;
// WA_BENCH_SCENARIOS=drain,backlog runs only those (throughput,paced,drain,backlog by default);
// WA_BENCH_MAIN=path/to/dist/main.js measures another build, an older one say;
// WA_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server;
// WA_BENCH_STORAGE=pglite|postgres runs one database only;
// WA_BENCH_SLOTS=6|12|18|24 sets webhooks.max_concurrent_requests, 24 by default;
// WA_BENCH_CONTACTS=20000 spreads the events over that many contacts, 500 by default;
// WA_BENCH_SERVER_ENV='NAME=value …' sets server variables)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { freshDatabase, startReferenceServer } from '@wa-contacts/test-kit';
// User + system CPU of a process, ms (/proc, 10 ms ticks).
import { cpuTimeMs } from '../dist/processes.js';

const EVENTS = Number(process.argv[2] ?? 5000);
const BACKLOG = Number(process.argv[3] ?? 20_000);
const CONTACTS = Number(process.env.WA_BENCH_CONTACTS ?? 500);
const PRODUCERS = 16;
const PACED_EVENTS = 1000;
const PACED_RATE = 50;
const PASSWORD = 'Hooks-Bench-1!';
const CACHED = '16319000000';
// Server variables over the bench's, e.g. WA_BENCH_SERVER_ENV='WA_WEBHOOK_LOG_KEEP=1000000 WA_WEBHOOK_TIMEOUT_MS=2000'.
const SERVER_ENV = Object.fromEntries(
  (process.env.WA_BENCH_SERVER_ENV ?? '')
    .split(' ')
    .filter(Boolean)
    .map((word) => {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(word);
      if (!match) throw new Error(`WA_BENCH_SERVER_ENV: ${JSON.stringify(word)} is not NAME=value`);
      return [match[1], match[2]];
    }),
);
const SCENARIOS = new Set((process.env.WA_BENCH_SCENARIOS ?? 'throughput,paced,drain,backlog').split(','));

const peakRssMb = (pid) => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A receiver on 127.0.0.1 that records, per contact, the sequence numbers it got, and when. */
async function startReceiver(port = 0) {
  const state = { count: 0, arrivals: new Map(), order: new Map() };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const message of body.messages ?? []) {
        const seq = Number(message.text?.body?.slice(2));
        state.arrivals.set(seq, performance.now());
        const seen = state.order.get(message.from) ?? [];
        seen.push(seq);
        state.order.set(message.from, seen);
        state.count++;
      }
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    state,
    port: server.address().port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// The cached check, timed from a thread of its own: the receiver's work on the main thread
// during a drain would otherwise count in the check's latency. {count}: that many back to back;
// {}: one every 20 ms until 'stop'. Answers with the latencies, ms.
const CHECKER = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false;
parentPort.on('message', async (m) => {
  if (m === 'stop') { stop = true; return; }
  stop = false;
  const times = [];
  for (let i = 0; (m.count ? i < m.count : !stop) && i < 100000; i++) {
    const a = performance.now();
    const res = await fetch(workerData.url, { method: 'POST', headers: workerData.headers, body: workerData.body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error('cached check: ' + res.status);
    times.push(performance.now() - a);
    if (!m.count) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  parentPort.postMessage(times);
});`;

async function run(name, env) {
  const server = await startReferenceServer({
    ...(process.env.WA_BENCH_MAIN ? { main: process.env.WA_BENCH_MAIN } : { from: import.meta.url }),
    nodeArgs: process.env.WA_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
    env: { WA_ADMIN_PASSWORD: PASSWORD, WA_RATE_LIMIT: 'off', LOG_LEVEL: 'warn', ...SERVER_ENV, ...env },
  });
  const call = async (method, path, body, authorization = auth) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  let auth = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
  auth = `Bearer ${(await call('POST', '/v1/users/login')).users[0].token}`;
  try {
    let receiver = await startReceiver();
    const { port } = receiver;
    await call('PATCH', '/v1/settings/application', {
      webhooks: {
        url: `http://127.0.0.1:${port}/hook`,
        max_concurrent_requests: Number(process.env.WA_BENCH_SLOTS ?? 24),
      },
    });
    let seq = 0;
    const sentAt = new Map();
    async function produce(count) {
      const first = seq;
      seq += count;
      let next = first;
      await Promise.all(
        Array.from({ length: PRODUCERS }, async () => {
          while (next < first + count) {
            const n = next++;
            await call('POST', '/sandbox/inbound', { from: String(16315560000 + (n % CONTACTS)), text: `n=${n}` });
            sentAt.set(n, performance.now());
          }
        }),
      );
    }
    async function until(count, limitMs) {
      const deadline = performance.now() + limitMs;
      while (receiver.state.count < count && performance.now() < deadline) await sleep(20);
      return receiver.state.count;
    }

    // 1. Throughput.
    if (SCENARIOS.has('throughput')) {
      const cpu0 = cpuTimeMs(server.pid);
      const t0 = performance.now();
      await produce(EVENTS);
      const produced = performance.now();
      const got = await until(EVENTS, 120_000);
      const t1 = performance.now();
      const cpu = cpuTimeMs(server.pid) - cpu0;
      const latencies = [...sentAt].map(([n, at]) => receiver.state.arrivals.get(n) - at).filter((l) => l >= 0);
      console.log(
        JSON.stringify({
          storage: name,
          scenario: 'throughput',
          events: EVENTS,
          delivered: got,
          producedPerS: round(EVENTS / ((produced - t0) / 1000)),
          callbacksPerS: round(got / ((t1 - t0) / 1000)),
          cpuMsPerEvent: round(cpu / EVENTS, 3),
          latencyMs: { p50: round(quantile(latencies, 0.5)), p99: round(quantile(latencies, 0.99)) },
        }),
      );
    }

    // 1b. Latency below saturation: PACED_EVENTS events at PACED_RATE/s, each sent on time whatever the answers.
    if (SCENARIOS.has('paced')) {
      const pacedBase = receiver.state.count;
      const pacedFirst = seq;
      seq += PACED_EVENTS;
      const pacedSent = new Map();
      const p0 = performance.now();
      await Promise.all(
        Array.from({ length: PACED_EVENTS }, async (_, i) => {
          const n = pacedFirst + i;
          await sleep(Math.max(0, p0 + (i * 1000) / PACED_RATE - performance.now()));
          await call('POST', '/sandbox/inbound', { from: String(16315560000 + (n % CONTACTS)), text: `n=${n}` });
          pacedSent.set(n, performance.now());
        }),
      );
      await until(pacedBase + PACED_EVENTS, 60_000);
      const paced = [...pacedSent].map(([n, at]) => receiver.state.arrivals.get(n) - at).filter((l) => l >= 0);
      console.log(
        JSON.stringify({
          storage: name,
          scenario: 'paced',
          events: PACED_EVENTS,
          perS: PACED_RATE,
          measured: paced.length, // those that arrived after their event's answer
          latencyMs: { p50: round(quantile(paced, 0.5)), p99: round(quantile(paced, 0.99)) },
        }),
      );
    }

    // 2 and 3. A backlog, the receiver down (connections refused) while its events arrive; drained
    // with no API request meanwhile (drain), then with the cached check timed meanwhile (backlog).
    await receiver.close();
    await call('POST', '/v1/contacts', { blocking: 'wait', contacts: [CACHED] });
    const checker = new Worker(CHECKER, {
      eval: true,
      workerData: {
        url: `${server.url}/v1/contacts`,
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ blocking: 'wait', contacts: [CACHED] }),
      },
    });
    const checks = (message) => {
      const answer = new Promise((resolve, reject) => {
        checker.once('message', resolve);
        checker.once('error', reject);
      });
      checker.postMessage(message);
      return answer;
    };
    await checks({ count: 50 }); // warms the thread's HTTP client up
    const idle = await checks({ count: 50 });
    for (const scenario of ['drain', 'backlog'].filter((s) => SCENARIOS.has(s))) {
      const probe = scenario === 'backlog';
      const first = seq;
      const b0 = performance.now();
      // Takes seconds: the server's last API request (the checks above) is over a second old when the drain starts.
      await produce(BACKLOG);
      const producedIn = performance.now() - b0;
      receiver = await startReceiver(port);
      await call('POST', '/sandbox/clock', { advance_ms: 3_600_000 }); // past every back-off: all due now
      const d0 = performance.now();
      const drainCpu0 = cpuTimeMs(server.pid);
      const during$ = probe ? checks({}) : Promise.resolve([]);
      while (receiver.state.count < BACKLOG && performance.now() - d0 < 600_000) await sleep(5);
      const drainS = (performance.now() - d0) / 1000;
      const drainCpu = cpuTimeMs(server.pid) - drainCpu0;
      checker.postMessage('stop');
      const during = await during$;
      const outOfOrder = [...receiver.state.order.values()].filter((seqs) =>
        seqs.some((s, i) => i > 0 && s < seqs[i - 1]),
      );
      const arrived = new Set([...receiver.state.arrivals.keys()].filter((n) => n >= first && n < first + BACKLOG));
      console.log(
        JSON.stringify({
          storage: name,
          scenario,
          events: BACKLOG,
          producedInS: round(producedIn / 1000),
          delivered: receiver.state.count,
          missing: BACKLOG - arrived.size,
          contactsOutOfOrder: outOfOrder.length,
          drainS: round(drainS),
          drainPerS: round(receiver.state.count / drainS),
          cpuMsPerCallback: round(drainCpu / Math.max(1, receiver.state.count), 3),
          peakRssMb: round(peakRssMb(server.pid)),
          ...(probe && {
            cachedCheckMs: {
              idleMedian: round(quantile(idle, 0.5), 2),
              drainMedian: round(quantile(during, 0.5), 2),
              drainP90: round(quantile(during, 0.9), 2),
              checks: during.length,
            },
          }),
        }),
      );
      await receiver.close();
    }
    await checker.terminate();
  } finally {
    await server.stop();
  }
}

const STORAGES = new Set((process.env.WA_BENCH_STORAGE ?? 'pglite,postgres').split(','));
if (STORAGES.has('pglite')) await run('pglite', { WA_DATA_DIR: 'memory' });
if (process.env.DATABASE_URL && STORAGES.has('postgres')) {
  const db = await freshDatabase(process.env.DATABASE_URL);
  try {
    await run('postgres', { DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
}
