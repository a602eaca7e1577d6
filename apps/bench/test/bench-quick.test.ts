import { describe, expect, it } from 'vitest';
import { runBench } from '../src/harness.js';
import { GROWTH_IDS } from '../src/growth-scenarios.js';
import { buildScenarios, QUICK } from '../src/scenarios.js';
import type { TargetId, TargetKind } from '../src/targets.js';

// Proves the harness works: every server starts, every scenario runs, nothing fails.
// How fast is not asserted here (a shared CI machine says nothing about that).
describe('pnpm bench -- --quick', () => {
  it('runs every scenario on every server with req/s > 0 and zero errors', async () => {
    const log: string[] = [];
    const report = await runBench({ quick: true, log: (line) => log.push(line) });

    expect(report.failures, log.join('\n')).toEqual([]);
    const servers: Array<[TargetId, TargetKind]> = [
      ['pglite', 'reference'],
      ...(process.env.DATABASE_URL?.trim() ? [['postgres', 'reference'] as [TargetId, TargetKind]] : []),
      ['prism', 'prism'],
      ['baseline', 'baseline'],
    ];
    const expected = buildScenarios(QUICK).flatMap((s) =>
      servers.filter(([, kind]) => s.kinds.includes(kind)).map(([id]) => `${s.id} on ${id}`),
    );
    expect(report.rows.map((r) => `${r.scenario} on ${r.target}`).sort()).toEqual(expected.sort());
    for (const row of report.rows) {
      expect(row.rps, `${row.scenario} on ${row.target}`).toBeGreaterThan(0);
      expect(row.errors, `${row.scenario} on ${row.target}`).toBe(0);
    }
    // Growth: each scenario at the smallest size on each database (its answer checked by the
    // probe: a wrong one is a failure), Prism once.
    const growthExpected = GROWTH_IDS.flatMap((id) => [
      ...servers.filter(([, kind]) => kind === 'reference').map(([target]) => `${id} on ${target} at 1000`),
      `${id} on prism at 0`,
    ]);
    expect(report.growth.map((r) => `${r.scenario} on ${r.target} at ${r.size}`).sort()).toEqual(growthExpected.sort());
    for (const row of report.growth) {
      expect(row.rps, `${row.scenario} on ${row.target}`).toBeGreaterThan(0);
      expect(row.errors, `${row.scenario} on ${row.target}`).toBe(0);
    }
    // Several instances on one PostgreSQL: every acknowledged check stored, none counted twice.
    if (process.env.DATABASE_URL?.trim()) {
      expect(report.instances.map((r) => r.instances)).toEqual(QUICK.instanceCounts);
      for (const row of report.instances) {
        expect(row.errors, `${row.instances} instances`).toBe(0);
        expect(row.acknowledged, `${row.instances} instances`).toBeGreaterThan(0);
        expect(row.stored, `${row.instances} instances`).toBeGreaterThanOrEqual(row.acknowledged);
        expect(row.counted, `${row.instances} instances`).toBe(row.stored);
      }
    }
    // Every target of the issue is evaluated (met or missed), none left unmeasured.
    expect(report.checks.filter((c) => c.met === null)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
