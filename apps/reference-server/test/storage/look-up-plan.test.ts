import { beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { capturedSql, explainPlan, scannedRows } from './helpers/explain.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const ROWS = 10_000;

eachTarget((target) => {
  const { db } = useDatabase(target);

  beforeAll(() => resetTables(db));

  describe('a look-up (recordLookUp), planned once for every call', () => {
    it(`reads accounts and pending_checks by their keys, never the ${ROWS} rows of either, with a plan made while they were empty`, async () => {
      const asked = ['16310000002', '16310000003', '16319999999'];
      const sql = capturedSql(
        (q) => repo.recordLookUp(q, { waIds: asked, real: () => true, checkedAt: T0 }),
        [{ on_whatsapp: '[]' }],
      );
      // EXECUTE takes no parameters of its own here: the values as literals.
      const execute = (checkedAt: number) =>
        `EXECUTE look_up('{${[...asked].sort().join(',')}}'::text[], '{t,t,t}', ${checkedAt}, NULL, NULL, NULL)`;
      const plan = await db.transaction(async (tx) => {
        // A named statement's generic plan, made at a first call on empty tables: growth alone
        // never replans it, and PGlite runs no autovacuum whose ANALYZE would.
        await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
        await tx.query(`PREPARE look_up AS ${sql}`);
        await tx.query(execute(T0 - 1));
        await tx.query(
          `INSERT INTO accounts (wa_id, has_account, updated_at)
           SELECT (16310000000 + g)::text, g % 2 = 0, 0 FROM generate_series(1, ${ROWS}) g`,
        );
        await repo.addPendingChecks(
          tx,
          Array.from({ length: ROWS }, (_, i) => String(16_310_000_001 + i)),
          T0,
        );
        const explained = await explainPlan(tx, execute(T0), []);
        await tx.query('DEALLOCATE look_up');
        return explained;
      });
      for (const table of ['accounts', 'pending_checks'])
        for (const rows of scannedRows(plan, table)) expect(rows, table).toBeLessThanOrEqual(asked.length);
      expect(await repo.getContactChecks(db, asked)).toEqual([
        { waId: '16310000002', status: 'valid', checkedAt: T0 },
        { waId: '16310000003', status: 'invalid', checkedAt: T0 },
        { waId: '16319999999', status: 'valid', checkedAt: T0 },
      ]);
      expect(await repo.listPendingChecks(db, { limit: 2 })).toEqual([
        { waId: '16310000001', requestedAt: T0 },
        { waId: '16310000004', requestedAt: T0 },
      ]);
    });
  });
});
