import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const OPEN_TIMEOUT = 60_000;

eachTarget((target) => {
  const { db } = useDatabase(target, OPEN_TIMEOUT);
  beforeAll(async () => {
    await db.query('CREATE TABLE scratch (id int PRIMARY KEY, note text)');
  });

  beforeEach(async () => {
    await db.query('DELETE FROM scratch');
  });

  it('says which adapter it is', () => {
    expect(db.kind).toBe(target.kind);
  });

  it('returns int8 as numbers, and the same row shapes on both adapters', async () => {
    const rows = await db.query(
      `SELECT 1700000000123::bigint AS ms, 7::int AS i, 3::smallint AS s, true AS b, 'x'::text AS t,
         ARRAY['a', 'b,c', '']::text[] AS arr, NULL::bigint AS missing, count(*) AS n FROM (VALUES (1), (2)) v`,
    );
    expect(rows).toEqual([
      { ms: 1700000000123, i: 7, s: 3, b: true, t: 'x', arr: ['a', 'b,c', ''], missing: null, n: 2 },
    ]);
  });

  it('refuses an int8 that a JavaScript number cannot hold exactly', async () => {
    await expect(db.query('SELECT 9007199254740993::bigint AS big')).rejects.toThrow(/does not fit/);
  });

  it('passes parameters of every type the repositories use', async () => {
    const rows = await db.query('SELECT $1::bigint AS ms, $2::boolean AS b, $3::text[] AS arr, $4::text AS n', [
      1700000000123,
      false,
      ['q"uote', 'back\\slash'],
      null,
    ]);
    expect(rows).toEqual([{ ms: 1700000000123, b: false, arr: ['q"uote', 'back\\slash'], n: null }]);
  });

  it('commits a transaction and returns its result', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO scratch VALUES (1, $1)', ['one']);
      await tx.query('INSERT INTO scratch VALUES (2, $1)', ['two']);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await db.query('SELECT id, note FROM scratch ORDER BY id')).toEqual([
      { id: 1, note: 'one' },
      { id: 2, note: 'two' },
    ]);
  });

  it('rolls a transaction back and rethrows when its function throws', async () => {
    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO scratch VALUES (1, $1)', ['one']);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await db.query('SELECT id FROM scratch')).toEqual([]);
  });

  it('rolls back when a statement fails, and stays usable', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO scratch VALUES (1, $1)', ['one']);
        await tx.query('INSERT INTO scratch VALUES (1, $1)', ['duplicate']);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.query('SELECT id FROM scratch')).toEqual([]);
    await db.query('INSERT INTO scratch VALUES (3, $1)', ['after']);
    expect(await db.query('SELECT id FROM scratch')).toEqual([{ id: 3 }]);
  });

  it('refuses db.query and db.transaction inside a transaction', async () => {
    await db.transaction(async () => {
      await expect(db.query('SELECT 1')).rejects.toThrow(/use its tx argument/);
      await expect(db.transaction(async () => 1)).rejects.toThrow(/use its tx argument/);
    });
  });

  it('lets work started inside a transaction use db once the transaction is over', async () => {
    let later: Promise<unknown> = Promise.resolve();
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO scratch VALUES (1, $1)', ['in tx']);
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
        db.query('INSERT INTO scratch VALUES (2, $1)', ['after tx']),
      );
    });
    await later;
    expect(await db.query('SELECT id FROM scratch ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let leaked: { query: (sql: string) => Promise<unknown> } | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toThrow(/after its transaction ended/);
  });

  it('keeps a plain query sent during a transaction out of that transaction', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO scratch VALUES (1, $1)', ['rolled back']);
      entered();
      await gate;
      throw new Error('roll back');
    });
    await inside;
    const plain = db.query('INSERT INTO scratch VALUES (2, $1)', ['plain']);
    // On PGlite the plain insert waits for the transaction; on PostgreSQL it runs on another connection.
    setTimeout(release, 30);
    await expect(tx).rejects.toThrow('roll back');
    await plain;
    expect(await db.query('SELECT id, note FROM scratch')).toEqual([{ id: 2, note: 'plain' }]);
  });

  it('runs concurrent transactions without losing an update', async () => {
    await db.query('INSERT INTO scratch VALUES (1, $1)', ['0']);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          // FOR UPDATE is what PostgreSQL needs; PGlite gets it from running one transaction at a time.
          const [row] = await tx.query<{ note: string }>('SELECT note FROM scratch WHERE id = 1 FOR UPDATE');
          await new Promise((resolve) => setTimeout(resolve, 2));
          await tx.query('UPDATE scratch SET note = $1 WHERE id = 1', [String(Number(row!.note) + 1)]);
        }),
      ),
    );
    expect(await db.query('SELECT note FROM scratch')).toEqual([{ note: '20' }]);
  });

  if (target.kind === 'pglite') {
    it('runs transactions and queries one at a time, in call order', async () => {
      const log: string[] = [];
      const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
      const txn = (name: string) =>
        db.transaction(async (tx) => {
          log.push(`${name} begin`);
          await pause();
          await tx.query('SELECT 1');
          await pause();
          log.push(`${name} end`);
        });
      await Promise.all([txn('a'), db.query('SELECT 1').then(() => log.push('plain')), txn('b'), txn('c')]);
      expect(log).toEqual(['a begin', 'a end', 'plain', 'b begin', 'b end', 'c begin', 'c end']);
    });
  }
});

describe('openDatabase', () => {
  it('needs a databaseUrl or a dataDir', async () => {
    await expect(openDatabase({})).rejects.toThrow(/needs a databaseUrl, or a dataDir/);
  });

  it(
    'treats an empty databaseUrl as unset',
    async () => {
      const db = await openDatabase({ databaseUrl: '', dataDir: 'memory' });
      expect(db.kind).toBe('pglite');
      await db.close();
    },
    OPEN_TIMEOUT,
  );

  it('fails at open time when PostgreSQL is unreachable', async () => {
    await expect(openDatabase({ databaseUrl: 'postgres://nobody:nothing@127.0.0.1:1/none' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
