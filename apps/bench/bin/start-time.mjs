#!/usr/bin/env node
// How soon the reference server answers after a start over a large contacts cache: a database
// seeded in bulk with `count` cached numbers and their inputs (as the growth scenarios seed
// them), then, per run, the server spawned as `npm start` runs it, the time to its banner
// (listening) and to its log line `contact check index loaded`, and a cached 1-number check
// (`blocking: wait`) sent every 50 ms in between, whose latency is printed.
// node apps/bench/bin/start-time.mjs [count=1000000] [runs=2]   (build first; PGlite, and
// PostgreSQL too when DATABASE_URL is set; WA_BENCH_MAIN=path/to/dist/main.js measures another build)
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { wholeArgument } from '../dist/arguments.js';
import { seedCache } from '../dist/cache-seed.js';
import {
  createApiSession,
  freshDatabase,
  REFERENCE_SERVER_INDEX_LOADED,
  startReferenceServer,
  stopAll,
  waitForOutput,
} from '@wa-contacts/test-kit';

const COUNT = wholeArgument(0, 'count', 1_000_000, 4);
const RUNS = wholeArgument(1, 'runs', 2, 1);
const PREFIX = '1631';
const ADMIN = { username: 'admin', password: 'Bench-Pass-1!' };
/** Row i's input is its wa_id when i % 4 is 1 (seedBulk's formats): so many such rows. */
const AS_DIGITS = Math.floor(COUNT / 4);
const main = process.env.WA_BENCH_MAIN;
// Seeded with the workspace's build, whichever build is timed: the tables are the same since migration 008.
const storage = await import('@wa-contacts/reference-server/storage');

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function run(label, env) {
  const started = performance.now();
  const server = await startReferenceServer({
    name: label,
    ...(main ? { main } : { from: import.meta.url }),
    env: { ...env, LOG_LEVEL: 'info', WA_ADMIN_USERNAME: ADMIN.username, WA_ADMIN_PASSWORD: ADMIN.password },
    timeoutMs: 180_000,
  });
  const listening = performance.now() - started;
  let loaded;
  const load = waitForOutput(server, REFERENCE_SERVER_INDEX_LOADED, 180_000).then((match) => {
    loaded = { at: performance.now() - started, ms: Number(match[1]) };
  });
  const { token } = await createApiSession(server.url, ADMIN);
  const latencies = [];
  for (let i = 0; loaded === undefined; i++) {
    const t = performance.now();
    const res = await fetch(`${server.url}/v1/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ blocking: 'wait', contacts: [storage.seededWaId(PREFIX, 1 + 4 * (i % AS_DIGITS))] }),
    });
    const body = await res.json();
    latencies.push(performance.now() - t);
    if (body.contacts?.[0]?.status !== 'valid') throw new Error(`a cached number answered ${JSON.stringify(body)}`);
    await Promise.race([load, sleep(50)]);
  }
  await load;
  await server.stop();
  latencies.sort((a, b) => a - b);
  const ms = (x) => (Number.isNaN(x) ? '–' : x.toFixed(1));
  console.log(
    `${label.padEnd(10)} listening ${(listening / 1000).toFixed(2)} s, index loaded ${(loaded.at / 1000).toFixed(2)} s ` +
      `(load ${(loaded.ms / 1000).toFixed(2)} s); ${latencies.length} checks meanwhile: ` +
      `p50 ${ms(quantile(latencies, 0.5))}, p90 ${ms(quantile(latencies, 0.9))}, max ${ms(latencies.at(-1) ?? Number.NaN)} ms`,
  );
}

const cleanups = [];
try {
  const folder = mkdtempSync(join(tmpdir(), 'wa-start-time-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  await seedCache(storage, { dataDir: join(folder, 'seeded') }, PREFIX, COUNT);
  let pg;
  if (process.env.DATABASE_URL) {
    pg = await freshDatabase(process.env.DATABASE_URL, { prefix: 'wa_bench' });
    cleanups.push(() => pg.drop());
    await seedCache(storage, { databaseUrl: pg.url }, PREFIX, COUNT);
  }
  console.log(`${COUNT} cached numbers; ${main ? `build ${main}` : "the workspace's build"}`);
  for (let r = 0; r < RUNS; r++) {
    // A copy per run: each start finds the folder as seeded, whatever the last one wrote.
    const copy = join(folder, `run-${r}`);
    cpSync(join(folder, 'seeded'), copy, { recursive: true });
    await run('PGlite', { WA_DATA_DIR: copy });
    rmSync(copy, { recursive: true, force: true });
    if (pg) await run('PostgreSQL', { DATABASE_URL: pg.url });
  }
} finally {
  await stopAll(5_000);
  for (const cleanup of cleanups.reverse()) await cleanup();
}
