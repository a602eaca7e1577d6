import { describe, expect, it } from 'vitest';
import { runBench } from '../src/harness.js';
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
    // Every target of the issue is evaluated (met or missed), none left unmeasured.
    expect(report.checks.filter((c) => c.met === null)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
