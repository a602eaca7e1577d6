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

  describe('the delivery log cut (pruneDeliveredCallbacks) behind a backlog of pending callbacks', () => {
    // It runs once a second while callbacks are delivered, often with a backlog queued before them.
    for (const mode of ['force_generic_plan', 'force_custom_plan'] as const) {
      it(`reads the delivered callbacks off their index, never the ${QUEUES} pending ones (${mode}, no statistics)`, async () => {
        const sql = capturedSql((q) => repo.pruneDeliveredCallbacks(q, 5, 500), [{ n: 0 }]);
        const { plan, deleted, left } = await db.transaction(async (tx) => {
          await tx.query(`SET LOCAL plan_cache_mode = ${mode}`);
          await tx.query(`PREPARE prune(bigint, int) AS ${sql}`);
          expect(await tx.query('EXECUTE prune(5, 500)')).toEqual([{ n: 0 }]);
          await tx.query(
            `INSERT INTO webhook_callbacks (id, contact, payload, created_at, next_attempt_at, delivered_at)
             SELECT g, 'c' || g, '{}', ${T0}, ${T0}, CASE WHEN g > ${QUEUES} THEN ${T0} END
             FROM generate_series(1, ${QUEUES + 10}) g`,
          );
          await tx.query(
            `INSERT INTO webhook_attempts (callback_id, attempt, started_at, duration_ms, http_status)
             SELECT id, 1, ${T0}, 1, 200 FROM webhook_callbacks`,
          );
          const plan = await explainPlan(tx, 'EXECUTE prune(5, 500)', []);
          const [left] = await tx.query<{ delivered: number; attempts: number }>(
            `SELECT (SELECT count(*)::int FROM webhook_callbacks WHERE delivered_at IS NOT NULL) AS delivered,
                    (SELECT count(*)::int FROM webhook_attempts) AS attempts`,
          );
          await tx.query('DEALLOCATE prune');
          await tx.query('DELETE FROM webhook_attempts');
          await tx.query('DELETE FROM webhook_callbacks');
          return { plan, deleted: plan.nodes[0]!['Actual Rows'], left };
        });
        expect({ deleted, left }).toEqual({ deleted: 1, left: { delivered: 5, attempts: QUEUES + 5 } });
        const tables = ['webhook_callbacks', 'webhook_attempts'];
        const scans = plan.nodes.filter(
          (n) => tables.includes(n['Relation Name']!) && n['Node Type'] !== 'ModifyTable',
        );
        expect(scans.length).toBeGreaterThan(0);
        // The newest id, the delivered ones from the oldest, the rows deleted and their attempts: none reads a pending one.
        for (const scan of scans) {
          expect(scan['Node Type']).not.toBe('Seq Scan');
          expect(scan['Actual Rows']! + (scan['Rows Removed by Filter'] ?? 0)).toBeLessThanOrEqual(5);
        }
        expect(scans.map((n) => n['Index Name'])).toContain('webhook_callbacks_delivered_idx');
        expect(scans.filter((n) => n['Relation Name'] === 'webhook_attempts').length).toBe(1);
      });
    }
  });
});
