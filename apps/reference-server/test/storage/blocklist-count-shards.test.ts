import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/storage/database.js';
import * as repo from '../../src/storage/index.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;

/** A connection of its own, outside the adapter's pool, as a Queryable. */
interface Connection extends Queryable {
  shard: number;
  end(): Promise<void>;
}

async function connect(url: string): Promise<Connection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ shard: number }>('SELECT pg_backend_pid() & 15 AS shard');
  return {
    shard: rows[0]!.shard,
    query: async (text, params) => (await client.query(text, params as unknown[])).rows,
    end: () => client.end(),
  };
}

/** Two connections counting in different rows (migration 015: a backend pid's low 4 bits). */
async function twoShards(url: string, opened: Connection[]): Promise<[Connection, Connection]> {
  const first = await connect(url);
  opened.push(first);
  for (let i = 0; i < 40; i++) {
    const other = await connect(url);
    opened.push(other);
    if (other.shard !== first.shard) return [first, other];
  }
  throw new Error('40 connections, all with the same pid & 15');
}

eachTarget(
  (target) => {
    const { db, instance } = useDatabase(target);
    const opened: Connection[] = [];
    const url = () => instance.options.databaseUrl!;

    beforeEach(async () => {
      await resetTables(db);
      await repo.seedBulk(db, { now: T0, blocks: { prefix: '1212', count: 100 } });
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((c) => c.query('ROLLBACK').finally(() => c.end())));
    });

    const block = (q: Queryable, waId: string) => repo.blockContact(q, { waId, reason: null, blockedAt: T0 + 1 });

    describe('blocklist counts per connection (migration 015)', () => {
      it('lets a block commit while another connection holds a block of its own uncommitted', async () => {
        const [a, b] = await twoShards(url(), opened);
        await a.query('BEGIN');
        expect(await block(a, '12125550001')).toBe(true);
        // One counter row for the newest bucket made b wait for a's commit: lock_timeout turns that wait into an error.
        await b.query('BEGIN');
        await b.query("SET LOCAL lock_timeout = '2s'");
        expect(await block(b, '12125550002')).toBe(true);
        await b.query('COMMIT');
        await a.query('COMMIT');
        expect(await repo.blocklistPage(db, { limit: 3, offset: 100 })).toEqual({
          waIds: ['12125550001', '12125550002'],
          total: 102,
        });
      });

      it('takes an unblock off the row of the connection that blocked, so counts agree and none goes negative', async () => {
        const [a, b] = await twoShards(url(), opened);
        const waId = (i: number) => `121255500${String(i).padStart(2, '0')}`;
        for (let i = 0; i < 30; i++) expect(await block(i % 2 ? a : b, waId(i))).toBe(true);
        for (let i = 0; i < 30; i += 3) expect(await repo.unblockContact(i % 2 ? b : a, waId(i))).toBe(true);
        const rows = await db.query<{ shard: number; n: number }>(
          'SELECT shard, sum(n)::int AS n FROM blocks_buckets GROUP BY shard ORDER BY shard',
        );
        const counted = await db.query<{ shard: number; n: number }>(
          'SELECT count_shard AS shard, count(*)::int AS n FROM blocks GROUP BY 1 ORDER BY 1',
        );
        expect(rows).toEqual(counted);
        expect(
          await db.query('SELECT 1 FROM blocks_buckets WHERE n < 0 UNION ALL SELECT 1 FROM blocks_totals WHERE n < 0'),
        ).toEqual([]);
        expect((await repo.blocklistPage(db, { limit: 200, offset: 0 })).total).toBe(120);
      });
    });
  },
  (t) => t.kind === 'postgres',
);
