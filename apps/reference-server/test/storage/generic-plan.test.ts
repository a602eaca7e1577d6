import { expect, it } from 'vitest';
import { GENERIC_PLAN } from '../../src/storage/generic-plan.js';
import * as repo from '../../src/storage/index.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

// PGlite runs a text that starts with GENERIC_PLAN with a generic plan, planned once
// (pglite-statements.ts); PostgreSQL's adapter sends it as it is.
eachTarget(
  (target) => {
    const { db } = useDatabase(target);
    const plans = async (sql: string) =>
      db.query<{ generic: number; custom: number }>(
        'SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1',
        [sql],
      );
    const mode = async () => (await db.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode'))[0]!.plan_cache_mode;

    it('plans a marked statement once, generic, where the same text unmarked is planned at every call', async () => {
      await db.query('CREATE TABLE counted AS SELECT a FROM generate_series(1, 50) AS a');
      const plain = 'SELECT a FROM counted ORDER BY a LIMIT $1';
      for (let i = 0; i < 8; i++) {
        expect(await db.query(GENERIC_PLAN + plain, [3])).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
        expect(await db.query(plain, [2])).toEqual([{ a: 1 }, { a: 2 }]);
      }
      expect(await plans(GENERIC_PLAN + plain)).toEqual([{ generic: 8, custom: 0 }]);
      expect(await plans(plain)).toEqual([{ generic: 0, custom: 8 }]);
      expect(await mode()).toBe('auto');
    });

    it('leaves the plan mode as it was when a marked statement fails, in a transaction or not', async () => {
      const divide = `${GENERIC_PLAN}SELECT 1 / $1::int AS x`;
      await expect(db.query(divide, [0])).rejects.toMatchObject({ code: '22012' });
      expect(await mode()).toBe('auto');
      await expect(db.transaction((tx) => tx.query(divide, [0]))).rejects.toMatchObject({ code: '22012' });
      expect(await mode()).toBe('auto');
      expect(await db.transaction((tx) => tx.query(divide, [1]))).toEqual([{ x: 1 }]);
      expect(await mode()).toBe('auto');
    });

    it('runs every blocklist page with a generic plan', async () => {
      await repo.seedBulk(db, { now: 1_700_000_000_000, blocks: { prefix: '1212', count: 3_000 } });
      for (let i = 0; i < 6; i++)
        for (const offset of [0, 700, 2_900]) await repo.blocklistPage(db, { limit: 100, offset });
      const pageStatementsQuery = `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
         WHERE statement LIKE '%FROM blocks%' AND statement <> $1 ORDER BY statement`;
      const pages = await db.query<{ generic: number; custom: number }>(pageStatementsQuery, [pageStatementsQuery]);
      expect(pages).toEqual([
        { generic: 6, custom: 0 },
        { generic: 6, custom: 0 },
        { generic: 6, custom: 0 },
      ]);
    });
  },
  (t) => t.kind === 'pglite',
);
