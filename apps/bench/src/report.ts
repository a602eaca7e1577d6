import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { GrowthRow } from './growth.js';
import type { InstancesRow } from './instances.js';
import type { Measurement } from './load.js';
import type { Sizes } from './scenarios.js';
import type { TargetId } from './targets.js';

export interface Row extends Measurement {
  scenario: string;
  title: string;
  mode: 'load' | 'oneshot';
  target: TargetId;
  label: string;
  /** Peak RSS of the server process during this scenario (warm-up included), MB. */
  peakRssMb: number | null;
}

export interface TargetCheck {
  server: TargetId;
  name: string;
  goal: string;
  measured: string;
  /** null: not measured in this run (a scenario or server missing). */
  met: boolean | null;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  node: string;
  os: string;
  memoryGb: number;
  loadAverage: string;
}

export interface BenchReport {
  mode: 'quick' | 'full';
  /** What narrowed the run (`--only`, `--targets`), or null for every scenario on every server. */
  partial: string | null;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  sizes: Sizes;
  targetsRun: TargetId[];
  rows: Row[];
  /** The growth scenarios, per size of the seeded database (Prism's rows: size 0). */
  growth: GrowthRow[];
  /** 1, 2, 3 reference servers on one PostgreSQL (empty without PostgreSQL). */
  instances: InstancesRow[];
  /** Largest RSS of each server process from its start to the end of the soak (or of the run). */
  lifetimeRssMb: Partial<Record<TargetId, number | null>>;
  checks: TargetCheck[];
  failures: string[];
  notes: string[];
  /** Every server started, every scenario ran, zero errors. */
  ok: boolean;
}

export function machineInfo(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: os.cpus() it is
  }
  let loadAverage = '';
  try {
    loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    // not Linux
  }
  return {
    nproc: cpus().length,
    cpuModel,
    node: process.version,
    os: `${process.platform} ${release()}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage,
  };
}

const REFERENCES: TargetId[] = ['pglite', 'postgres'];
export const SERVER_NAMES: Record<TargetId, string> = {
  pglite: 'reference (PGlite)',
  postgres: 'reference (PostgreSQL)',
  prism: 'Prism mock',
  baseline: 'node:http baseline',
};

const find = (report: BenchReport, scenario: string, target: TargetId) =>
  report.rows.find((r) => r.scenario === scenario && r.target === target);

/** The issue's targets, per reference server: met, missed, or not measured. */
export function evaluateTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const oneshot = `check-${report.sizes.oneshotSize}-oneshot`;
  for (const server of REFERENCES.filter((id) => report.targetsRun.includes(id))) {
    const one = find(report, 'check-1', server);
    const base = find(report, 'check-1', 'baseline');
    const prism = find(report, 'check-1', 'prism');
    const ratio = (a?: Row, b?: Row) => (a && b && b.rps > 0 ? a.rps / b.rps : null);
    const vsBase = ratio(one, base);
    const vsPrism = ratio(one, prism);
    checks.push({
      server,
      name: '1-number cached check vs baseline (req/s)',
      goal: '≥ 50 %',
      measured:
        vsBase === null ? 'not measured' : `${(vsBase * 100).toFixed(0)} % (${fmt(one!.rps)} / ${fmt(base!.rps)})`,
      met: vsBase === null ? null : vsBase >= 0.5,
    });
    checks.push({
      server,
      name: '1-number cached check vs Prism (req/s)',
      goal: '≥ 10×',
      measured: vsPrism === null ? 'not measured' : `${vsPrism.toFixed(1)}× (${fmt(one!.rps)} / ${fmt(prism!.rps)})`,
      met: vsPrism === null ? null : vsPrism >= 10,
    });
    const thousand = find(report, 'check-1000', server);
    checks.push({
      server,
      name: '1,000-number cached check, p99',
      goal: '< 50 ms',
      measured: thousand ? `${thousand.p99.toFixed(1)} ms` : 'not measured',
      met: thousand ? thousand.p99 < 50 : null,
    });
    const big = find(report, oneshot, server);
    checks.push({
      server,
      name: `${report.sizes.oneshotSize.toLocaleString('en-US')} numbers in one request (cached), median`,
      goal: '< 500 ms',
      measured: big ? `${big.p50.toFixed(0)} ms (max ${big.p99.toFixed(0)} ms)` : 'not measured',
      met: big ? big.p50 < 500 : null,
    });
    const soak = find(report, 'soak', server);
    checks.push({
      server,
      name: `server RSS, peak through the ${report.sizes.soakS} s soak`,
      goal: '< 256 MB',
      measured: soak?.peakRssMb ? `${soak.peakRssMb.toFixed(0)} MB` : 'not measured',
      met: soak?.peakRssMb ? soak.peakRssMb < 256 : null,
    });
    const rss = report.lifetimeRssMb[server];
    checks.push({
      server,
      name: 'server RSS, peak from start-up to the end of the soak',
      goal: '< 256 MB',
      measured: soak && rss ? `${rss.toFixed(0)} MB` : 'not measured',
      met: soak && rss ? rss < 256 : null,
    });
    const rows = report.rows.filter((r) => r.target === server);
    const errors = rows.reduce((sum, r) => sum + r.errors, 0);
    checks.push({
      server,
      name: 'errors (non-2xx + socket errors + timeouts), every scenario',
      goal: '0',
      measured: rows.length ? String(errors) : 'not measured',
      met: rows.length ? errors === 0 : null,
    });
  }
  return checks;
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function toMarkdown(report: BenchReport, command: string): string {
  const m = report.machine;
  const s = report.sizes;
  const lines: string[] = [];
  lines.push(
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC by \`${command}\` (${report.mode} run${report.partial ? `, partial: ${report.partial}` : ''}).`,
  );
  lines.push('');
  lines.push(
    `Machine: ${m.nproc} × ${m.cpuModel} (\`nproc\` ${m.nproc}), ${m.memoryGb} GB, Node ${m.node}, ${m.os}; load average at the end ${m.loadAverage || 'n/a'} (shared machine: compare within a run, not across runs).`,
  );
  lines.push(
    `Settings: loopback, ${s.connections} connections, ${s.durationS} s per scenario and server after ${s.warmupS} s of untimed warm-up, in ${s.rounds} round${s.rounds > 1 ? 's' : ''} (the servers take turns round by round, same requests; req/s is the median round, p50/p99 over every request), one-shot scenarios ${s.oneshotRepeats} requests each, soak ${s.soakS} s in one run.`,
  );
  lines.push('');
  lines.push(
    '| scenario | server | req/s | p50 ms | p99 ms | errors | server CPU µs/req | peak RSS MB | ref / baseline | ref / Prism |',
  );
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of report.rows) {
    const isRef = REFERENCES.includes(r.target);
    const base = isRef ? find(report, r.scenario, 'baseline') : undefined;
    const prism = isRef ? find(report, r.scenario, 'prism') : undefined;
    const ratio = (o?: Row) => (o && o.rps > 0 ? `${(r.rps / o.rps).toFixed(2)}×` : '');
    lines.push(
      `| ${r.scenario} | ${r.label} | ${fmt(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)}${r.mode === 'oneshot' ? ' (max)' : ''} | ${r.errors} | ${r.cpuUsPerRequest === null ? '–' : r.cpuUsPerRequest.toFixed(0)} | ${r.peakRssMb?.toFixed(0) ?? '?'} | ${ratio(base)} | ${ratio(prism)} |`,
    );
  }
  lines.push('');
  lines.push('Scenarios:');
  lines.push('');
  for (const id of [...new Set(report.rows.map((r) => r.scenario))]) {
    lines.push(`- \`${id}\`: ${report.rows.find((r) => r.scenario === id)!.title}`);
  }
  lines.push('');
  lines.push(
    'Prism answers its static examples (a few entries, whatever the request); the baseline answers a constant body of the same shape and size as the reference server (one baseline process per scenario). One-shot rows: p50 is the median of the repeats, p99 their maximum. Server CPU: user + system time of the server process (/proc/<pid>/stat, 10 ms ticks) over the timed rounds, per request (– when under 200 ms in all: too coarse); it depends much less than req/s on how busy the machine is. Peak RSS: the server process during that scenario (warm-up included), from `/proc/<pid>/status` VmHWM.',
  );
  lines.push('');
  if (report.checks.length) {
    lines.push('| target | server | goal | measured | |');
    lines.push('|---|---|---|---|---|');
    for (const c of report.checks) {
      lines.push(
        `| ${c.name} | ${SERVER_NAMES[c.server]} | ${c.goal} | ${c.measured} | ${c.met === null ? 'n/a' : c.met ? 'met' : '**missed**'} |`,
      );
    }
    lines.push('');
  }
  lines.push(...growthMarkdown(report.growth));
  lines.push(...instancesMarkdown(report.instances));
  for (const note of report.notes) lines.push(`- ${note}`);
  for (const failure of report.failures) lines.push(`- **failure**: ${failure}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One line per scenario, server and size, then how CPU per request grew from the smallest size to the largest. */
export function growthMarkdown(growth: readonly GrowthRow[]): string[] {
  if (growth.length === 0) return [];
  const lines = [
    'Growth: each size is a fresh database seeded in bulk with that many blocked contacts, cached numbers, accounts and inbound messages (100 contacts, size / 100 each), one server on it.',
    '',
    '| scenario | server | rows | req/s | p50 ms | p99 ms | errors | server CPU µs/req | peak RSS MB | ref / Prism |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of growth) {
    const prism = growth.find((p) => p.scenario === r.scenario && p.target === 'prism');
    const vsPrism = REFERENCES.includes(r.target) && prism && prism.rps > 0 ? `${(r.rps / prism.rps).toFixed(2)}×` : '';
    lines.push(
      `| ${r.scenario} | ${r.label} | ${r.size ? r.size.toLocaleString('en-US') : '–'} | ${fmt(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} | ${r.cpuUsPerRequest === null ? '–' : r.cpuUsPerRequest.toFixed(0)} | ${r.peakRssMb?.toFixed(0) ?? '?'} | ${vsPrism} |`,
    );
  }
  lines.push('');
  const sizes = [...new Set(growth.filter((r) => r.size > 0).map((r) => r.size))].sort((a, b) => a - b);
  if (sizes.length > 1) {
    const [first, last] = [sizes[0]!, sizes.at(-1)!];
    lines.push(
      `CPU per request at ${last.toLocaleString('en-US')} rows / at ${first.toLocaleString('en-US')} rows (goal ≤ 2×):`,
    );
    lines.push('');
    for (const scenario of [...new Set(growth.map((r) => r.scenario))]) {
      for (const target of REFERENCES) {
        const a = growth.find((r) => r.scenario === scenario && r.target === target && r.size === first);
        const b = growth.find((r) => r.scenario === scenario && r.target === target && r.size === last);
        if (!a?.cpuUsPerRequest || !b?.cpuUsPerRequest) continue;
        const ratio = b.cpuUsPerRequest / a.cpuUsPerRequest;
        lines.push(`- ${scenario} on ${SERVER_NAMES[target]}: ${ratio.toFixed(2)}×${ratio > 2 ? ' (**missed**)' : ''}`);
      }
    }
    lines.push('');
  }
  return lines;
}

/** The several-instances table, with each configuration's throughput relative to one instance. */
export function instancesMarkdown(rows: readonly InstancesRow[]): string[] {
  if (rows.length === 0) return [];
  const one = rows.find((r) => r.instances === 1);
  const lines = [
    'Several instances: n reference servers on one PostgreSQL database, the connections spread over them, every request a `force_check` of 10 numbers never checked before; afterwards every acknowledged number must be stored and counted once by the misuse rule.',
    '',
    '| instances | connections | req/s | × one | p50 ms | p99 ms | errors | server CPU µs/req (all) | acknowledged | stored | counted | nothing lost or doubled |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const r of rows) {
    const ratio = one && one.rps > 0 ? `${(r.rps / one.rps).toFixed(2)}×` : '';
    lines.push(
      `| ${r.instances} | ${r.connections} | ${fmt(r.rps)} | ${ratio} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} | ${r.cpuUsPerRequest === null ? '–' : r.cpuUsPerRequest.toFixed(0)} | ${r.acknowledged} | ${r.stored} | ${r.counted} | ${r.consistent ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('');
  return lines;
}
