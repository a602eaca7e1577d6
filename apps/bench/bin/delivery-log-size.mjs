#!/usr/bin/env node
// The webhook delivery log's size under a steady load, on PGlite in memory, without HTTP: waves of
// 40,000 callbacks over 500 contacts, each wave queued then delivered by the deliverer's own
// statements (claim 24 runs of 16, record the attempts), with its cut (keep WA_WEBHOOK_LOG_KEEP's
// default of 10,000, 200 a statement, once a second) and the adapter's vacuum. After each wave it
// prints the rows kept and the size of the three outbox tables (flat from the second wave on when
// the log is bounded), and the CPU per callback of its delivery (claims, records and cuts).
// node apps/bench/bin/delivery-log-size.mjs [waves=4]   (build first;
// WA_BENCH_MAIN=path/to/dist/main.js measures another build, as for webhooks.mjs)
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { wholeArgument } from '../dist/arguments.js';

const WAVES = wholeArgument(0, 'waves', 4, 1);
const PER_WAVE = 40_000;
const CONTACTS = 500;
const KEEP = 10_000;
const NOW = 1_700_000_000_000;

const storage = await import(
  process.env.WA_BENCH_MAIN
    ? new URL('storage/index.js', pathToFileURL(process.env.WA_BENCH_MAIN)).href
    : '@wa-contacts/reference-server/storage'
);
// A build from before the log was bounded has no cut: it is measured without one.
const cut = storage.pruneDeliveredCallbacks
  ? async () => {
      while ((await storage.pruneDeliveredCallbacks(db, KEEP, 200)) === 200);
    }
  : async () => {};

const db = await storage.openDatabase({ dataDir: 'memory' });
// A delivered status callback, about the size of Meta's.
const payload = JSON.stringify({
  statuses: [
    {
      id: 'x'.repeat(40),
      recipient_id: '16315551000',
      status: 'delivered',
      timestamp: '1600132094',
      pricing: { billable: true, pricing_model: 'CBP', category: 'user_initiated' },
    },
  ],
});
const tablesMb = async () => {
  const [{ bytes }] = await db.query(
    `SELECT sum(pg_total_relation_size(oid))::bigint AS bytes FROM pg_class
     WHERE relname IN ('webhook_callbacks', 'webhook_attempts', 'webhook_queues')`,
  );
  return Number(bytes) / 1e6;
};

let realNow = NOW;
let lastCut = 0;
for (let wave = 1; wave <= WAVES; wave++) {
  for (let i = 0; i < PER_WAVE; i++) {
    await storage.insertCallback(db, { contact: `c${i % CONTACTS}`, payload, now: NOW, memoryOwner: undefined });
  }
  const cpu0 = process.cpuUsage();
  for (let sent = 0; sent < PER_WAVE; ) {
    const runs = await db.transaction((tx) =>
      storage.claimDueCallbacks(tx, {
        instance: 'bench',
        now: NOW + 1e7,
        realNow: ++realNow,
        leaseMs: 1000,
        maxInFlight: 24,
        maxRuns: 24,
        runLength: 16,
      }),
    );
    const finished = runs.flatMap((run) =>
      run.callbacks.map((callback) => ({
        callback,
        result: { startedAt: NOW, durationMs: 1, httpStatus: 200, error: undefined },
        outcome: { deliveredAt: NOW },
      })),
    );
    if (finished.length === 0) throw new Error(`wave ${wave}: nothing to claim after ${sent} of ${PER_WAVE}`);
    await db.transaction((tx) => storage.finishAttempts(tx, finished));
    sent += finished.length;
    if (performance.now() - lastCut > 1000) {
      lastCut = performance.now();
      await cut();
    }
    await new Promise(setImmediate);
  }
  await cut();
  const { user, system } = process.cpuUsage(cpu0);
  await sleep(2500); // the adapter's vacuum runs on a timer
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM webhook_callbacks');
  console.log(
    `wave ${wave}: ${wave * PER_WAVE} callbacks delivered, ${n} kept, outbox tables ${(await tablesMb()).toFixed(1)} MB, delivery CPU ${((user + system) / PER_WAVE).toFixed(1)} µs per callback, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
}
await db.close();
