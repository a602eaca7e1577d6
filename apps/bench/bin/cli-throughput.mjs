#!/usr/bin/env node
// Numbers per second through the `wa-contacts` CLI end to end (read the CSV, log in, batches
// with no_wait and polls, write the results), on a PGlite reference server with the node's
// rate limits on (20 requests/s, bursts of 60) and off. Each setting gets a fresh server and
// two runs of one list: fresh numbers (background checks), then the same list again (cached).
// node apps/bench/bin/cli-throughput.mjs [rows=30000] [check delay ms=0] [batch size=1000]   (build first: pnpm build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startReferenceServer } from '@wa-contacts/test-kit';

const rows = Number(process.argv[2] ?? 30_000);
const delayMs = process.argv[3] ?? '0';
const batchSize = process.argv[4] ?? '1000';
const PASSWORD = 'Cli-Bench-Pass-1!';
const pkg = createRequire(import.meta.url).resolve('@wa-contacts/cli/package.json');
const cli = join(dirname(pkg), JSON.parse(readFileSync(pkg, 'utf8')).bin['wa-contacts']);
const dir = mkdtempSync(join(tmpdir(), 'cli-throughput-'));

/** `rows` distinct +1 631 numbers in three formats, from exchange 700 on. */
function list() {
  const lines = ['id,phone'];
  for (let i = 0; i < rows; i++) {
    const ex = 700 + Math.floor(i / 10_000);
    const d4 = String(i % 10_000).padStart(4, '0');
    lines.push(`${i},${[`+1 631-${ex}-${d4}`, `1631${ex}${d4}`, `(631) ${ex}-${d4}`][i % 3]}`);
  }
  return `${lines.join('\n')}\n`;
}

function run(url, input, out) {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      cli,
      'check',
      input,
      '--column',
      'phone',
      '--out',
      out,
      '--progress',
      'none',
      '--poll-interval',
      '250',
      '--batch-size',
      batchSize,
    ],
    { env: { PATH: process.env.PATH, WA_URL: url, WA_USERNAME: 'admin', WA_PASSWORD: PASSWORD }, encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`wa-contacts exited ${result.status}: ${result.stderr}`);
  const written = readFileSync(out, 'utf8').trimEnd().split('\n').length - 1;
  if (written !== rows) throw new Error(`${written} results for ${rows} rows`);
  return { seconds, perSecond: Math.round(rows / seconds) };
}

const input = join(dir, 'list.csv');
writeFileSync(input, list());
const table = [];
try {
  for (const limit of ['on', 'off']) {
    const server = await startReferenceServer({
      from: import.meta.url,
      env: { WA_RATE_LIMIT: limit, WA_CHECK_DELAY_MS: delayMs, WA_ADMIN_PASSWORD: PASSWORD },
    });
    try {
      for (const pass of ['fresh', 'cached']) {
        const out = join(dir, `${limit}-${pass}.csv`);
        const { seconds, perSecond } = run(server.url, input, out);
        table.push(`| ${limit} | ${pass} | ${rows} | ${seconds.toFixed(1)} | ${perSecond} |`);
        process.stderr.write(`rate limits ${limit}, ${pass}: ${perSecond} numbers/s\n`);
      }
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  [
    `wa-contacts check, ${rows} rows, PGlite, WA_CHECK_DELAY_MS=${delayMs}, batches of ${batchSize}, 2 in flight`,
    '',
    '| rate limits | numbers | rows | seconds | numbers/s |',
    '| --- | --- | ---: | ---: | ---: |',
    ...table,
    '',
  ].join('\n'),
);
