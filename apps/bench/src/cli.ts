import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench, type BenchOptions } from './harness.js';
import { stopAllAndExit } from './processes.js';
import { toMarkdown } from './report.js';
import type { TargetId } from './targets.js';

const USAGE = `pnpm bench [-- options]

  --quick               about 0.5 s per scenario, smaller set-up, PGlite (+ PostgreSQL only
                        when DATABASE_URL is set); also BENCH_QUICK=1
  --duration <s>        seconds per load scenario (full: 10, quick: 0.5)
  --soak <s>            seconds of the mixed soak the RSS target is judged on (full: 60)
  --connections <n>     concurrent connections (10)
  --only <ids>          comma-separated scenario ids (check-1,check-1000,blocklist,...)
  --growth-sizes <n,…>  rows per table of the growth scenarios' databases
                        (full: 1000,100000,1000000; quick: 1000)
  --instances <n,…>     reference servers on one PostgreSQL, per configuration (full: 1,2,3;
                        quick: 1,2); '--only instances' runs just these
  --targets <ids>       comma-separated: pglite,postgres,prism,baseline (all)
  --no-postgres         skip PostgreSQL even when it is available
  --pglite-dir          PGlite in a folder the harness makes (as npm start) instead of
                        WA_DATA_DIR=memory (a throwaway folder the server makes)
  --cpu-prof <dir>      run the reference servers under node --cpu-prof, profiles in <dir>
  --out <dir>           where the JSON and Markdown go (apps/bench/results)

Environment: DATABASE_URL (PostgreSQL to use), BENCH_QUICK=1 (--quick),
BENCH_SERVER_MAIN (another build of the reference server's main.js, for before/after runs),
BENCH_SERVER_NODE_ARGS (extra node flags for the reference servers).

Exit status: 0 when every server started, every scenario ran and no request failed;
1 otherwise. Targets met or missed are reported, never a reason to fail.`;

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      soak: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      targets: { type: 'string' },
      'growth-sizes': { type: 'string' },
      instances: { type: 'string' },
      'no-postgres': { type: 'boolean', default: false },
      'pglite-dir': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const quick = values.quick || ['1', 'true', 'yes'].includes((process.env.BENCH_QUICK ?? '').toLowerCase());
  const number = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
    return n;
  };
  const sizes: NonNullable<BenchOptions['sizes']> = {};
  const duration = number('duration', values.duration);
  const soak = number('soak', values.soak);
  const connections = number('connections', values.connections);
  if (duration !== undefined) sizes.durationS = duration;
  if (soak !== undefined) sizes.soakS = soak;
  if (connections !== undefined) sizes.connections = Math.round(connections);
  if (values.instances !== undefined)
    sizes.instanceCounts = values.instances.split(',').map((v) => Math.round(number('instances', v.trim())!));
  if (values['growth-sizes'] !== undefined)
    sizes.growthSizes = values['growth-sizes'].split(',').map((v) => Math.round(number('growth-sizes', v.trim())!));

  const report = await runBench({
    quick,
    sizes,
    only: values.only?.split(',').map((s) => s.trim()),
    targets: values.targets?.split(',').map((s) => s.trim()) as TargetId[] | undefined,
    postgres: values['no-postgres'] ? 'off' : 'auto',
    pgliteOnDisk: values['pglite-dir'],
    cpuProfDir: values['cpu-prof'],
  });

  const command = `pnpm bench${quick ? ' -- --quick' : ''}`;
  const markdown = toMarkdown(report, command);
  const outDir = values.out ?? join(PACKAGE_DIR, 'results');
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  // A narrowed run never takes the place of the latest run of every scenario.
  const kind = report.partial ? `${report.mode}-partial` : report.mode;
  for (const name of [`${kind}-${stamp}`, `latest-${kind}`]) {
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(outDir, `${name}.md`), markdown);
  }
  process.stdout.write(`\n${markdown}\n`);
  process.stdout.write(`Written to ${relative(process.cwd(), outDir) || '.'}/latest-${kind}.{json,md}\n`);
  if (!report.ok) {
    process.stderr.write(
      `\nbench: FAILED (${report.failures.length} failure(s), ${report.rows.reduce((n, r) => n + r.errors, 0)} request error(s))\n`,
    );
  }
  return report.ok ? 0 : 1;
}

process.on('SIGINT', () => stopAllAndExit(130));
process.on('SIGTERM', () => stopAllAndExit(143));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
