#!/usr/bin/env node
// What a force_check's writes cost as the contacts cache grows, without HTTP: a database seeded
// in bulk with `count` cached numbers (as the growth scenarios seed it), then per run 400
// look-ups of 100 of them spread over the whole cache (recordLookUp, the statement a force_check
// ends in), after 100 to warm up. Prints per look-up: the median time, the CPU (this process on
// PGlite; every postgres process of the machine on PostgreSQL), the pages of contact_checks read
// from outside the database's buffers (table and primary key, pg_statio_user_tables) and the WAL
// written.
// node apps/bench/bin/look-up-pages.mjs [count=1000000] [runs=3]   (build first; PGlite, and
// PostgreSQL too when DATABASE_URL is set; WA_BENCH_MAIN=path/to/dist/main.js measures another
// build, seeded with its own migrations)
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { freshDatabase } from '@wa-contacts/test-kit';
import { wholeArgument } from '../dist/arguments.js';
import { seedCache } from '../dist/cache-seed.js';
import { cpuTimeMs } from '../dist/processes.js';

const COUNT = wholeArgument(0, 'count', 1_000_000, 100);
const RUNS = wholeArgument(1, 'runs', 3, 1);
const PREFIX = '1631';
const WARM_UP = 100;
const TIMED = 400;
const PER_LOOK_UP = 100;
const main = process.env.WA_BENCH_MAIN;
const storage = main
  ? await import(pathToFileURL(join(dirname(main), 'storage', 'index.js')).href)
  : await import('@wa-contacts/reference-server/storage');

/** CPU time (ms) of every process named postgres: the database's side of a look-up. */
function postgresCpuMs() {
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += cpuTimeMs(Number(pid)) ?? 0;
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

const STATIO = `SELECT heap_blks_read::int AS heap, idx_blks_read::int AS idx FROM pg_statio_user_tables
  WHERE relname = 'contact_checks'`;
const WAL = "SELECT (pg_current_wal_insert_lsn() - '0/0')::float8 AS bytes";
// PostgreSQL's backends report their statistics when idle, 10 s later at most.
const STATS_FLUSH_MS = 11_000;

async function measure(label, options, cpuMs, settle) {
  const db = await storage.openDatabase(options);
  try {
    let k = 0;
    // Numbers spread over the whole cache, none asked twice in a run.
    const lookUp = () => {
      const waIds = [];
      for (let j = 0; j < PER_LOOK_UP; j++) waIds.push(`${PREFIX}${2_000_000 + ((k++ * 7919) % COUNT)}`);
      return storage.recordLookUp(db, { waIds, real: () => true, checkedAt: Date.now() });
    };
    for (let i = 0; i < WARM_UP; i++) {
      await lookUp();
      await new Promise(setImmediate);
    }
    await settle();
    const [pages0] = await db.query(STATIO);
    const [wal0] = await db.query(WAL);
    const cpu0 = cpuMs();
    const times = [];
    for (let i = 0; i < TIMED; i++) {
      const t = performance.now();
      await lookUp();
      times.push(performance.now() - t);
      // Through the event loop, as a server's requests: the adapter's checkpoints run in between.
      await new Promise(setImmediate);
    }
    const cpu = (cpuMs() - cpu0) / TIMED;
    await settle();
    const [pages1] = await db.query(STATIO);
    const [wal1] = await db.query(WAL);
    times.sort((a, b) => a - b);
    const per = (a, b) => Math.round(((b - a) / TIMED) * 10) / 10;
    console.log(
      JSON.stringify({
        storage: label,
        count: COUNT,
        medianMs: Math.round(times[TIMED / 2] * 100) / 100,
        cpuMs: Math.round(cpu * 100) / 100,
        heapPagesRead: per(pages0.heap, pages1.heap),
        indexPagesRead: per(pages0.idx, pages1.idx),
        walKb: per(wal0.bytes / 1024, wal1.bytes / 1024),
      }),
    );
  } finally {
    await db.close();
  }
}

const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const scratch = mkdtempSync(join(tmpdir(), 'look-up-pages-'));
try {
  const seeded = join(scratch, 'seeded');
  await seedCache(storage, { dataDir: seeded }, PREFIX, COUNT);
  for (let run = 0; run < RUNS; run++) {
    const dataDir = join(scratch, `run-${run}`);
    cpSync(seeded, dataDir, { recursive: true });
    await measure('pglite', { dataDir }, processCpuMs, async () => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (process.env.DATABASE_URL) {
  for (let run = 0; run < RUNS; run++) {
    const db = await freshDatabase(process.env.DATABASE_URL, { prefix: 'wa_look_up_pages' });
    try {
      await seedCache(storage, { databaseUrl: db.url }, PREFIX, COUNT);
      await measure('postgres', { databaseUrl: db.url }, postgresCpuMs, () => sleep(STATS_FLUSH_MS));
    } finally {
      await db.drop();
    }
  }
}
