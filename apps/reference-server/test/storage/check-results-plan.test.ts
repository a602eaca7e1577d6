import { beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const CONTEXT = 'US:1:test';
const SEEDED = 20_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

eachTarget((target) => {
  const { db } = useDatabase(target);

  beforeAll(async () => {
    await resetTables(db);
    // seedBulk ends with VACUUM, so the visibility map lets an index-only scan skip the heap.
    await repo.seedBulk(db, {
      now: T0,
      contactChecks: { prefix: '1631', count: SEEDED, inputsContext: CONTEXT },
    });
  });

  describe('cached results read with their inputs (migration 010)', () => {
    it('reads each result from the primary key of contact_checks alone, never from the table', async () => {
      let sql = '';
      await repo.readCheckInputs(
        {
          query: async (text: string) => {
            sql = text;
            return [] as never[];
          },
        },
        CONTEXT,
        ['x'],
        T0,
      );
      // 100 inputs spread over the table, as the growth bench sends them.
      const inputs = (
        await db.query<{ input: string }>(
          'SELECT input FROM check_inputs WHERE context = $1 AND wa_id::bigint % 200 = 7 ORDER BY wa_id',
          [CONTEXT],
        )
      ).map((r) => r.input);
      expect(inputs.length).toBe(100);
      const [{ 'QUERY PLAN': raw }] = (await db.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
        [CONTEXT, inputs, T0],
      )) as [{ 'QUERY PLAN': unknown }];
      const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
      const scans = flatten(plan[0].Plan)
        .filter((n) => n['Relation Name'] === 'contact_checks')
        .map((n) => ({ type: n['Node Type'], heapFetches: n['Heap Fetches'] }));
      expect(scans).toEqual([{ type: 'Index Only Scan', heapFetches: 0 }]);
      const rows = await repo.readCheckInputs(db, CONTEXT, inputs, T0);
      expect(rows.length).toBe(100);
      expect(rows.filter((r) => r.status === 'valid' && r.checkedAt === T0).length).toBe(100);
    });
  });
});
