import { beforeEach, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/storage/database.js';
import * as repo from '../../src/storage/index.js';
import { explainPlan, scannedRows } from './helpers/explain.js';
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
    return { blocks: p.waIds, total: p.total };
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
      for (const offset of [SEEDED - 700, SEEDED - 1_100, SEEDED - 2_000]) {
        // Every scan of blocks (not blocks_buckets) in the plan, and the rows it produced.
        const scans = scannedRows(await explainPlan(db, await pageSql(100, offset, SEEDED), [100, offset]), 'blocks');
        expect(scans.length, `offset ${offset}`).toBeGreaterThan(0);
        expect(Math.max(...scans), `offset ${offset}`).toBeLessThan(1_024 + 100);
        expect(await page(100, offset)).toEqual(await plain(100, offset));
      }
    });

    it('sums the bucket counts in bigint, never numeric (migration 009)', async () => {
      const { json } = await explainPlan(db, await pageSql(100, SEEDED - 700, SEEDED), [100, SEEDED - 700], 'VERBOSE');
      expect(json.match(/numeric/g) ?? []).toEqual([]);
      expect(await db.query('SELECT pg_typeof(sum(n))::text AS type FROM blocks_buckets')).toEqual([
        { type: 'bigint' },
      ]);
    });

    it('finds a page past the middle from the last bucket back', async () => {
      const offset = SEEDED - 700;
      const { nodes } = await explainPlan(db, await pageSql(100, offset, SEEDED), [100, offset]);
      // The running sums (over parts, then buckets) stop at the first row that reaches the page: the last of each.
      const summed = nodes.filter((n) => n['Node Type'] === 'WindowAgg').map((n) => n['Actual Rows']);
      expect(summed).toEqual([1, 1]);
      expect(await page(100, offset)).toEqual(await plain(100, offset));
    });

    it('reads a page that reaches the end of the list backwards from it, with no search and no row skipped', async () => {
      for (const [limit, offset] of [
        [100, SEEDED - 100],
        [100, SEEDED - 37],
        [100, SEEDED],
      ] as const) {
        const plan = await explainPlan(db, await pageSql(limit, offset, SEEDED), [limit, offset]);
        expect(scannedRows(plan, 'blocks_buckets'), `offset ${offset}`).toEqual([]);
        expect(scannedRows(plan, 'blocks'), `offset ${offset}`).toEqual([Math.max(SEEDED - offset, 0)]);
        expect(await page(limit, offset)).toEqual(await plain(limit, offset));
      }
    });

    it('reads the page again when the list grew past it since the last total this process saw', async () => {
      expect(await page(100, SEEDED - 100)).toEqual(await plain(100, SEEDED - 100));
      // Another instance (or a statement around the repository) blocks 300 more: the guess is stale.
      await db.query(
        `INSERT INTO blocks (wa_id, reason, blocked_at) SELECT '1212555' || lpad(i::text, 4, '0'), NULL, ${T0} FROM generate_series(1, 300) i`,
      );
      for (const offset of [SEEDED - 100, SEEDED + 150, SEEDED + 250]) {
        expect(await page(100, offset), `offset ${offset}`).toEqual(await plain(100, offset));
      }
      expect((await page(100, SEEDED - 100)).total).toBe(SEEDED + 300);
    });

    it('empties the buckets with the table (TRUNCATE)', async () => {
      await db.query('TRUNCATE blocks');
      expect(await page(10, 0)).toEqual({ blocks: [], total: 0 });
      expect(await repo.blockContact(db, { waId: '12125550001', reason: null, blockedAt: T0 })).toBe(true);
      expect(await page(10, 0)).toEqual({ blocks: ['12125550001'], total: 1 });
    });
  });

  describe('blocklist totals (migrations 010, 011)', () => {
    const parts = () =>
      db.query('SELECT part::int AS part, sum(n)::int AS n FROM blocks_totals GROUP BY part ORDER BY part');
    const counted = () =>
      db.query('SELECT (seq >> 15)::int AS part, count(*)::int AS n FROM blocks GROUP BY 1 ORDER BY 1');

    it('keep a count per 2^15 seq values that agrees with the rows across a part boundary, through blocks, unblocks and TRUNCATE', async () => {
      expect(await parts()).toEqual([{ part: 0, n: SEEDED }]);
      // The next blocks take seq values 2^15 - 2 to 2^15 + 3: two in part 0, four in part 1.
      await db.query(`SELECT setval(pg_get_serial_sequence('blocks', 'seq'), ${2 ** 15 - 3})`);
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

    it('find a page in the middle of 100,000 part first, then bucket: each running sum at most 32 rows', async () => {
      await resetTables(db);
      await repo.seedBulk(db, { now: T0, blocks: { prefix: '1212', count: 100_000 } });
      for (const offset of [40_000, 49_950, 50_050, 60_000, 99_000]) {
        const plan = await explainPlan(db, await pageSql(100, offset, 100_000), [100, offset]);
        const summed = plan.nodes.filter((n) => n['Node Type'] === 'WindowAgg').map((n) => n['Actual Rows']!);
        expect(summed.length, `offset ${offset}`).toBe(2);
        expect(Math.max(...summed), `offset ${offset}`).toBeLessThanOrEqual(32);
        expect(Math.max(...scannedRows(plan, 'blocks')), `offset ${offset}`).toBeLessThan(1_024 + 100);
        expect(await page(100, offset), `offset ${offset}`).toEqual(await plain(100, offset));
      }
    });

    it('give a first page its total without reading a bucket', async () => {
      const plan = await explainPlan(db, await pageSql(100, 0, SEEDED), [100]);
      expect(scannedRows(plan, 'blocks_buckets')).toEqual([]);
      expect(scannedRows(plan, 'blocks_totals')).toEqual([1]);
    });
  });

  /**
   * The statement blocklistPage sends for the page when the process last saw `total` entries
   * (and the list is still that long), so a plan test explains the real query.
   */
  async function pageSql(limit: number, offset: number, total: number): Promise<string> {
    let sql = '';
    const fake = {
      query: async (text: string) => {
        sql = text;
        return [{ total, page: '[]' }];
      },
    } as unknown as Queryable;
    // The first page leaves `total` as the one the process last saw, which picks the statement.
    await repo.blocklistPage(fake, { limit: 0, offset: 0 });
    await repo.blocklistPage(fake, { limit, offset });
    return sql;
  }
});
