import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, closeAgent } from './http.js';
import { runLoad, runOneRequest, summarize, type Round } from './load.js';
import { createDatabase, findPostgres } from './postgres.js';
import { buildScenarios, FULL, QUICK, runSetup, type Scenario, type SetupStep, type Sizes } from './scenarios.js';
import { machineInfo, evaluateTargets, type BenchReport, type Row } from './report.js';
import { cpuTimeMs } from './processes.js';
import { runGrowth, type GrowthRow } from './growth.js';
import { runInstances, type InstancesRow } from './instances.js';
import { startBaseline, startPrism, startReference, type Target, type TargetId } from './targets.js';

export interface BenchOptions {
  quick: boolean;
  /** Overrides of the mode's sizes (durations, connections, ...). */
  sizes?: Partial<Sizes>;
  /** Scenario ids to run (all when absent). */
  only?: string[];
  /** Which targets to run (all available when absent). */
  targets?: TargetId[];
  /**
   * PostgreSQL: 'auto' uses DATABASE_URL, or in the full run the local server of
   * scripts/ensure-postgres.sh; 'off' never.
   */
  postgres?: 'auto' | 'off';
  /** PGlite in a folder the harness makes (as `npm start` does) instead of WA_DATA_DIR=memory. */
  pgliteOnDisk?: boolean;
  /** `node --cpu-prof` for the reference servers, profiles written here when they stop. */
  cpuProfDir?: string;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

/** measure() with the run's sizes bound: one scenario on some servers, its rows. */
export type Measure = (
  scenario: Scenario,
  participants: Target[],
  log: (line: string) => void,
  failures: string[],
) => Promise<Row[]>;

const TARGET_ORDER: TargetId[] = ['pglite', 'postgres', 'prism', 'baseline'];

/**
 * One run: starts every server, sets the reference servers up, then runs each scenario on
 * each target one after another (same requests, connections and duration), and stops
 * everything. Never throws for a server or a scenario that fails: the report says so.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sizes: Sizes = { ...(options.quick ? QUICK : FULL), ...options.sizes };
  const wanted = new Set(options.targets ?? TARGET_ORDER);
  const scenarios = buildScenarios(sizes).filter((s) => !options.only || options.only.includes(s.id));
  const started = new Date();
  const failures: string[] = [];
  const notes: string[] = [];
  const rows: Row[] = [];
  let growth: GrowthRow[] = [];
  let instances: InstancesRow[] = [];
  let postgresUrl: string | null = null;
  const lifetimeRss: Partial<Record<TargetId, number | null>> = {};
  const targets: Target[] = [];
  // Servers first, then what they used (the PostgreSQL database of the run).
  const cleanups: Array<() => Promise<unknown>> = [];
  const lastCleanups: Array<() => Promise<unknown>> = [];
  const scratch = mkdtempSync(join(tmpdir(), 'wa-bench-'));

  const tryStart = async (id: TargetId, start: () => Promise<Target>) => {
    log(`starting ${id}`);
    try {
      const target = await start();
      targets.push(target);
      cleanups.push(() => target.server.stop());
    } catch (error) {
      failures.push(`${id} did not start: ${error instanceof Error ? error.message : error}`);
      log(`  FAILED: ${failures.at(-1)}`);
    }
  };

  try {
    if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
    const dataDir = options.pgliteOnDisk ? mkdtempSync(join(scratch, 'pglite-')) : 'memory';
    if (options.pgliteOnDisk) notes.push('PGlite on disk (WA_DATA_DIR: a fresh temporary folder).');
    if (wanted.has('pglite'))
      await tryStart('pglite', () => startReference({ id: 'pglite', dataDir, cpuProfDir: options.cpuProfDir }));
    if (wanted.has('postgres')) {
      const pg =
        options.postgres === 'off'
          ? { url: null, reason: 'PostgreSQL turned off' }
          : await findPostgres({
              useEnsureScript: !options.quick && !(options.targets && !options.targets.includes('postgres')),
            });
      if (pg.url) {
        postgresUrl = pg.url;
        try {
          const db = await createDatabase(pg.url);
          lastCleanups.push(() => db.drop());
          notes.push(`PostgreSQL from ${pg.reason}, fresh database ${db.name} (dropped after the run).`);
          await tryStart('postgres', () =>
            startReference({ id: 'postgres', databaseUrl: db.url, cpuProfDir: options.cpuProfDir }),
          );
        } catch (error) {
          failures.push(`postgres: could not create a database: ${error instanceof Error ? error.message : error}`);
        }
      } else {
        notes.push(`No PostgreSQL run: ${pg.reason}.`);
      }
    }
    if (wanted.has('prism')) await tryStart('prism', startPrism);

    // Set-up, before any timing: each reference server gets every step its scenarios need.
    const steps = [...new Set(scenarios.flatMap((s) => s.needs))] as SetupStep[];
    for (const target of targets.filter((t) => t.kind === 'reference')) {
      target.server.rss.begin();
      for (const step of steps) {
        const t0 = performance.now();
        try {
          await runSetup(step, target, sizes);
          log(`set-up ${step} on ${target.id}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        } catch (error) {
          failures.push(`set-up ${step} on ${target.id} failed: ${error instanceof Error ? error.message : error}`);
          log(`  FAILED: ${failures.at(-1)}`);
        }
      }
      target.server.rss.end();
    }

    for (const scenario of scenarios) {
      const participants: Target[] = [];
      let baseline: Target | undefined;
      for (const id of TARGET_ORDER) {
        if (!wanted.has(id)) continue;
        if (id === 'baseline') {
          if (!scenario.kinds.includes('baseline')) continue;
          // A baseline of its own per scenario: each one answers one constant per route.
          try {
            baseline = await startBaseline(scenario.baseline, join(scratch, `baseline-${scenario.id}.json`));
            participants.push(baseline);
          } catch (error) {
            failures.push(
              `baseline did not start for ${scenario.id}: ${error instanceof Error ? error.message : error}`,
            );
          }
          continue;
        }
        const target = targets.find((t) => t.id === id);
        if (target && scenario.kinds.includes(target.kind)) participants.push(target);
      }
      try {
        rows.push(...(await measure(scenario, participants, sizes, log, failures)));
      } finally {
        await baseline?.server.stop();
      }
      if (scenario.id === 'soak') for (const t of participants) lifetimeRss[t.id] = t.server.rss.lifetimeMb();
    }
    for (const target of targets) lifetimeRss[target.id] ??= target.server.rss.lifetimeMb();

    // Growth: a database of its own per size, seeded in bulk, one server each (growth.ts).
    growth = await runGrowth({
      sizes: sizes.growthSizes,
      only: options.only,
      postgresUrl: wanted.has('postgres') && targets.some((t) => t.id === 'postgres') ? postgresUrl : null,
      prism: targets.find((t) => t.id === 'prism'),
      scratch,
      cpuProfDir: options.cpuProfDir,
      measure: (scenario, participants, log, failures) => measure(scenario, participants, sizes, log, failures),
      log,
      failures,
    });

    // Several instances on one PostgreSQL (instances.ts); `--only instances` runs just this.
    if (
      postgresUrl &&
      targets.some((t) => t.id === 'postgres') &&
      (!options.only || options.only.includes('instances'))
    )
      instances = await runInstances({
        postgresUrl,
        counts: sizes.instanceCounts,
        connections: sizes.connections,
        durationS: sizes.durationS,
        log,
        failures,
      });
  } finally {
    for (const cleanup of [...cleanups, ...lastCleanups]) {
      await cleanup().catch((error: unknown) =>
        notes.push(`clean-up failed: ${error instanceof Error ? error.message : error}`),
      );
    }
    closeAgent();
    rmSync(scratch, { recursive: true, force: true });
  }

  const report: BenchReport = {
    mode: options.quick ? 'quick' : 'full',
    partial:
      [options.only && `--only ${options.only.join(',')}`, options.targets && `--targets ${options.targets.join(',')}`]
        .filter(Boolean)
        .join(' ') || null,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    sizes,
    targetsRun: targets.map((t) => t.id),
    rows,
    growth,
    instances,
    lifetimeRssMb: lifetimeRss,
    checks: [],
    failures,
    notes,
    ok: false,
  };
  report.checks = evaluateTargets(report);
  const all = [...rows, ...growth];
  report.ok =
    failures.length === 0 && [...all, ...instances].every((r) => r.errors === 0) && all.length + instances.length > 0;
  return report;
}

/**
 * One scenario on every participant: a checked probe and an untimed warm-up each, then the
 * timed rounds, the servers taking turns; a server that fails drops out with a failure.
 */
async function measure(
  scenario: Scenario,
  participants: Target[],
  sizes: Sizes,
  log: (line: string) => void,
  failures: string[],
): Promise<Row[]> {
  const fail = (target: Target, error: unknown) => {
    failures.push(`${scenario.id} on ${target.id} failed: ${error instanceof Error ? error.message : error}`);
    log(`  FAILED: ${failures.at(-1)}`);
  };
  const active: Target[] = [];
  for (const target of participants) {
    try {
      await probe(scenario, target);
      if (scenario.mode === 'load' && sizes.warmupS > 0) {
        await runLoad(target.server.url, scenario.requests(target), {
          connections: sizes.connections,
          durationS: sizes.warmupS,
          record: false,
        });
      }
      active.push(target);
    } catch (error) {
      fail(target, error);
    }
  }

  const oneshot = scenario.mode === 'oneshot';
  const roundCount = oneshot ? sizes.oneshotRepeats : (scenario.rounds ?? sizes.rounds);
  const roundS = (scenario.durationS ?? sizes.durationS) / roundCount;
  const rounds = new Map<Target, Round[]>(active.map((t) => [t, []]));
  for (const target of active) target.server.rss.begin();
  for (let i = 0; i < roundCount; i++) {
    for (const target of active) {
      const done = rounds.get(target);
      if (!done) continue;
      try {
        const cpuBefore = cpuTimeMs(target.server.pid);
        const round = oneshot
          ? await runOneRequest(target.server.url, scenario.requests(target)[0]!)
          : await runLoad(target.server.url, scenario.requests(target), {
              connections: sizes.connections,
              durationS: roundS,
            });
        const cpuAfter = cpuTimeMs(target.server.pid);
        round.serverCpuMs = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
        done.push(round);
      } catch (error) {
        rounds.delete(target);
        fail(target, error);
      }
    }
  }

  const rows: Row[] = [];
  for (const target of active) {
    const peakRssMb = target.server.rss.end();
    const done = rounds.get(target);
    if (!done) continue;
    const m = summarize(done, scenario.mode);
    log(
      `${scenario.id.padEnd(26)} ${target.id.padEnd(9)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  errors ${m.errors}  cpu ${m.cpuUsPerRequest?.toFixed(0) ?? '?'} us/req  rss ${peakRssMb?.toFixed(0) ?? '?'} MB`,
    );
    rows.push({
      scenario: scenario.id,
      title: scenario.title,
      mode: scenario.mode,
      target: target.id,
      label: target.label,
      ...m,
      peakRssMb,
    });
  }
  return rows;
}

/** One answer checked before timing: a 2xx, and for the reference server the right content. */
async function probe(scenario: Scenario, target: Target): Promise<void> {
  const { url } = target.server;
  const request = scenario.requests(target)[0]!;
  const res = await call(url, request.method ?? 'GET', request.path ?? '/', {
    headers: request.headers as Record<string, string>,
    body: request.body?.toString(),
  });
  if (res.status < 200 || res.status > 299) throw new Error(`probe answered ${res.status}: ${res.text.slice(0, 300)}`);
  if (target.kind === 'reference' && scenario.verify) {
    const problem = scenario.verify(JSON.parse(res.text));
    if (problem) throw new Error(`wrong answer: ${problem}`);
    const wrong = scenario.check ? await scenario.check(target) : null;
    if (wrong) throw new Error(`wrong state: ${wrong}`);
  }
  if (scenario.id === 'block-unblock') {
    // The probe blocked a number: leave the state as the scenario expects it.
    await call(url, 'POST', request.path!.replace(/\/block$/, '/unblock'), { headers: target.auth });
  }
}
