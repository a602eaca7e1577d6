import { beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { capturedSql, explainPlan } from './helpers/explain.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const CONTEXT = 'US:1:test';
const SEEDED = 20_000;

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

  describe('check_inputs read (migration 009)', () => {
    it('reads the inputs from the primary key alone, never from the table', async () => {
      const sql = capturedSql((q) => repo.readCheckInputs(q, CONTEXT, ['x'], T0), [{ rows: '[]' }]);
      const inputs = (
        await db.query<{ input: string }>(
          'SELECT input FROM check_inputs WHERE context = $1 ORDER BY wa_id LIMIT 100',
          [CONTEXT],
        )
      ).map((r) => r.input);
      expect(inputs.length).toBe(100);
      const { nodes } = await explainPlan(db, sql, [CONTEXT, inputs, T0]);
      const scans = nodes
        .filter((n) => n['Relation Name'] === 'check_inputs')
        .map((n) => ({ type: n['Node Type'], heapFetches: n['Heap Fetches'] }));
      expect(scans).toEqual([{ type: 'Index Only Scan', heapFetches: 0 }]);
      expect((await repo.readCheckInputs(db, CONTEXT, inputs, T0)).length).toBe(100);
    });
  });
});
