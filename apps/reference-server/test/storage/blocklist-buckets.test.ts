import { beforeEach, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { capturedSql, explainPlan, scannedRows } from './helpers/explain.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const SEEDED = 5_000;

eachTarget((target) => {
  const { db } = useDatabase(target);

  beforeEach(async () => {
    await resetTables(db);
    await repo.seedBulk(db, { now: T0, blocks: { prefix: '1212', count: SEEDED } });
  });

  /** The page as a plain OFFSET over every row would give it, and the plain count. */
  const plain = async (limit: number, offset: number) => ({
    blocks: (
      await db.query<{ wa_id: string }>('SELECT wa_id FROM blocks ORDER BY seq LIMIT $1 OFFSET $2', [limit, offset])
    ).map((r) => r.wa_id),
    total: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM blocks'))[0]!.n,
  });
  const page = async (limit: number, offset: number) => {
    const p = await repo.blocklistPage(db, { limit, offset });
    return { blocks: p.blocks.map((b) => b.waId), total: p.total };
  };

  describe('blocklist buckets (migration 006)', () => {
    it('gives the same pages and total as a plain OFFSET after blocks and unblocks across buckets', async () => {
      // Holes across bucket boundaries (1,024 seq values each), then new blocks at the end.
      await db.query(`DELETE FROM blocks WHERE seq % 7 = 0 OR seq BETWEEN 1000 AND 2100`);
      for (const waId of ['12125550001', '12125550002', '12125550003'])
        expect(await repo.blockContact(db, { waId, reason: null, blockedAt: T0 + 1 })).toBe(true);
      expect(await repo.unblockContact(db, '12122000003')).toBe(true);
      const { total } = await plain(0, 0);
      expect(total).toBe(3_345);
      for (const offset of [0, 1, 99, 900, 1_000, 1_023, 1_024, 2_047, 2_500, 3_245, 3_300, 3_344, 3_345, 9_999]) {
        expect(await page(100, offset), `offset ${offset}`).toEqual(await plain(100, offset));
      }
      expect(await page(0, 0)).toEqual({ blocks: [], total: 3_345 });
    });

    it('reads fewer than 1,024 + limit rows of blocks for a page near the end, whatever the offset', async () => {
      // Every scan of blocks (not blocks_buckets) in the plan, and the rows it produced.
      const scans = scannedRows(await explainPlan(db, blocklistSql(), [100, SEEDED - 100]), 'blocks');
      expect(scans.length).toBeGreaterThan(0);
      expect(Math.max(...scans)).toBeLessThan(1_024 + 100);
      expect(await page(100, SEEDED - 100)).toEqual(await plain(100, SEEDED - 100));
    });

    it('sums the bucket counts in bigint, never numeric (migration 009)', async () => {
      const { json } = await explainPlan(db, blocklistSql(), [100, SEEDED - 100], 'VERBOSE');
      expect(json.match(/numeric/g) ?? []).toEqual([]);
      expect(await db.query('SELECT pg_typeof(sum(n))::text AS type FROM blocks_buckets')).toEqual([
        { type: 'bigint' },
      ]);
    });

    it('finds a page past the middle from the last bucket back', async () => {
      const sql = blocklistSql(SEEDED - 100, SEEDED);
      const { nodes } = await explainPlan(db, sql, [100, SEEDED - 100]);
      // Buckets the running sum went through before the page's start was found (of 5).
      const summed = nodes.filter((n) => n['Node Type'] === 'WindowAgg').map((n) => n['Actual Rows']);
      expect(summed).toEqual([1]);
      expect(await page(100, SEEDED - 100)).toEqual(await plain(100, SEEDED - 100));
    });

    it('empties the buckets with the table (TRUNCATE)', async () => {
      await db.query('TRUNCATE blocks');
      expect(await page(10, 0)).toEqual({ blocks: [], total: 0 });
      expect(await repo.blockContact(db, { waId: '12125550001', reason: null, blockedAt: T0 })).toBe(true);
      expect(await page(10, 0)).toEqual({ blocks: ['12125550001'], total: 1 });
    });
  });

  describe('blocklist totals (migration 010)', () => {
    const parts = () => db.query('SELECT part::int AS part, n FROM blocks_totals ORDER BY part');
    const counted = () =>
      db.query('SELECT (seq >> 20)::int AS part, count(*)::int AS n FROM blocks GROUP BY 1 ORDER BY 1');

    it('keep a count per 2^20 seq values that agrees with the rows across a part boundary, through blocks, unblocks and TRUNCATE', async () => {
      expect(await parts()).toEqual([{ part: 0, n: SEEDED }]);
      // The next blocks take seq values 2^20 - 2 to 2^20 + 3: two in part 0, four in part 1.
      await db.query(`SELECT setval(pg_get_serial_sequence('blocks', 'seq'), ${2 ** 20 - 3})`);
      for (let i = 0; i < 6; i++)
        expect(await repo.blockContact(db, { waId: `1212555000${i}`, reason: null, blockedAt: T0 + 1 })).toBe(true);
      expect(await parts()).toEqual([
        { part: 0, n: SEEDED + 2 },
        { part: 1, n: 4 },
      ]);
      await db.query('DELETE FROM blocks WHERE seq % 3 = 0');
      expect(await repo.unblockContact(db, '12125550005')).toBe(true);
      expect(await parts()).toEqual(await counted());
      const { total } = await plain(0, 0);
      expect(total).toBe(3_337);
      for (const offset of [0, 3_000, total - 3]) expect(await page(100, offset)).toEqual(await plain(100, offset));
      await db.query('TRUNCATE blocks');
      expect(await parts()).toEqual([]);
    });

    it('give a first page its total without reading a bucket', async () => {
      const sql = capturedSql((q) => void repo.blocklistPage(q, { limit: 100, offset: 0 }), [{ total: 0, page: '[]' }]);
      const plan = await explainPlan(db, sql, [100]);
      expect(scannedRows(plan, 'blocks_buckets')).toEqual([]);
      expect(scannedRows(plan, 'blocks_totals')).toEqual([1]);
    });
  });

  /** The statement blocklistPage sends for a page past the first, so the plan is of the real query. */
  function blocklistSql(offset = 1, lastTotal = 0): string {
    return capturedSql(
      (q) => {
        // The first call leaves lastTotal as the total the process last saw, which picks the statement.
        void repo.blocklistPage(q, { limit: 0, offset: 0 });
        // Not 0: the first page has a statement of its own, with no offset to skip.
        void repo.blocklistPage(q, { limit: 0, offset });
      },
      [{ total: lastTotal, page: '[]' }],
    );
  }
});
