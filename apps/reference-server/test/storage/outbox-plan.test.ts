import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { capturedSql, explainPlan, scannedRows } from './helpers/explain.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const QUEUES = 10_000;

eachTarget((target) => {
  const { db } = useDatabase(target);

  beforeAll(() => resetTables(db));
  afterAll(() => resetTables(db));

  describe('the deliverer wake-up (nextWake) with a queue per contact', () => {
    // The deliverer asks after every round that claims nothing: often while a backlog over many
    // contacts waits for a receiver that is down.
    for (const mode of ['force_generic_plan', 'force_custom_plan'] as const) {
      it(`reads the earliest free head off an index, never the ${QUEUES} queues (${mode}, no statistics)`, async () => {
        const sql = capturedSql((q) => repo.nextWake(q, 'i1'), [{}]);
        const plan = await db.transaction(async (tx) => {
          // generic: made at a first call on the empty table, as PGlite's named statements are,
          // and kept (no ANALYZE ever invalidates it); custom: planned on the rows, without statistics.
          await tx.query(`SET LOCAL plan_cache_mode = ${mode}`);
          await tx.query(`PREPARE next_wake AS ${sql}`);
          expect(await tx.query(`EXECUTE next_wake('i1')`)).toEqual([{ due: null, leaseEnd: null }]);
          await tx.query(
            `INSERT INTO webhook_queues (contact, head_id, scan_from, next_attempt_at, lease_until)
             SELECT 'c' || g, g, g, ${T0} + g, CASE WHEN g <= 3 THEN ${T0 + 50} END
             FROM generate_series(1, ${QUEUES}) g`,
          );
          const explained = await explainPlan(tx, `EXECUTE next_wake('i1')`, []);
          expect(await tx.query(`EXECUTE next_wake('i1')`)).toEqual([{ due: T0 + 4, leaseEnd: T0 + 50 }]);
          await tx.query('DEALLOCATE next_wake');
          await tx.query('DELETE FROM webhook_queues');
          return explained;
        });
        const scanned = scannedRows(plan, 'webhook_queues');
        expect(scanned.length).toBe(2);
        for (const rows of scanned) expect(rows).toBeLessThanOrEqual(1);
      });
    }
  });
});
