import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

interface TableStats {
  dead: number;
  vacuumed: boolean;
}

eachTarget(
  (target) => {
    const { db } = useDatabase(target);

    beforeAll(() => resetTables(db));

    const stats = async (table: string): Promise<TableStats> => {
      const [row] = await db.query<TableStats>(
        `SELECT n_dead_tup::int AS dead, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = $1`,
        [table],
      );
      return row!;
    };

    describe('vacuum without autovacuum (PGlite)', () => {
      it('vacuums a queue table once its dead rows pass 50 + 20 % of its live ones, and never a table that names no threshold', async () => {
        // pending_checks (no threshold named): 900 of 1,000 deleted; then webhook_queues (migration
        // 013): 300 of 1,000, over 50 + 0.2 × 700 = 190. In that order, the first counts are
        // flushed with or before the second.
        await db.query(
          `INSERT INTO pending_checks (wa_id, requested_at) SELECT (16310000000 + g)::text, 0 FROM generate_series(1, 1000) g`,
        );
        await db.query(`DELETE FROM pending_checks WHERE wa_id <= '16310000900'`);
        await db.query(
          `INSERT INTO webhook_queues (contact, head_id, scan_from, next_attempt_at)
           SELECT 'c' || g, g, g, g FROM generate_series(1, 1000) g`,
        );
        await db.query('DELETE FROM webhook_queues WHERE head_id <= 300');
        // Statistics reach pg_stat_user_tables at most once a second, and the vacuum looks once a second.
        const deadline = Date.now() + 10_000;
        while (!(await stats('webhook_queues')).vacuumed && Date.now() < deadline) await sleep(100);
        expect(await stats('webhook_queues')).toEqual({ dead: 0, vacuumed: true });
        expect(await stats('pending_checks')).toEqual({ dead: 900, vacuumed: false });
        expect(await db.query('SELECT count(*)::int AS n FROM webhook_queues')).toEqual([{ n: 700 }]);
      });

      it('vacuums the delivery log (callbacks and attempts, migration 014) after its cut, so their space is reused', async () => {
        await db.query(
          `INSERT INTO webhook_callbacks (contact, payload, created_at, next_attempt_at, delivered_at, attempts)
           SELECT 'c' || g, '{}', 0, 0, 1, 1 FROM generate_series(1, 1000) g`,
        );
        await db.query(
          `INSERT INTO webhook_attempts (callback_id, attempt, started_at, duration_ms, http_status)
           SELECT id, 1, 0, 1, 200 FROM webhook_callbacks`,
        );
        // 300 of 1,000 deleted in each, over 50 + 0.2 × 700 = 190.
        expect(await repo.pruneDeliveredCallbacks(db, 700, 1000)).toBe(300);
        const deadline = Date.now() + 10_000;
        const vacuumed = async () =>
          (await stats('webhook_callbacks')).vacuumed && (await stats('webhook_attempts')).vacuumed;
        while (!(await vacuumed()) && Date.now() < deadline) await sleep(100);
        expect([await stats('webhook_callbacks'), await stats('webhook_attempts')]).toEqual([
          { dead: 0, vacuumed: true },
          { dead: 0, vacuumed: true },
        ]);
      });
    });
  },
  (t) => t.kind === 'pglite',
);
