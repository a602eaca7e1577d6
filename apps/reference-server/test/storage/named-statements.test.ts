import { expect, it } from 'vitest';
import type { ScriptQueryable } from '../../src/storage/adapter.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

// A SQL text is parsed once per connection and then run by name (pglite-statements.ts; postgres.ts
// for texts with parameters).
eachTarget((target) => {
  const { db } = useDatabase(target);

  it('parses a text once and runs it again by name, with its parameters each time', async () => {
    const sql = 'SELECT $1::int * 2 AS twice, $2::text AS label';
    await db.transaction(async (tx) => {
      // One transaction: one connection on PostgreSQL, whose statements pg_prepared_statements lists.
      expect(await tx.query(sql, [2, 'a'])).toEqual([{ twice: 4, label: 'a' }]);
      expect(await tx.query(sql, [21, null])).toEqual([{ twice: 42, label: null }]);
      expect(
        await tx.query('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1', [sql]),
      ).toEqual([{ n: 1 }]);
    });
    expect(await db.query(sql, [5, 'b'])).toEqual([{ twice: 10, label: 'b' }]);
  });

  it('gives a failed statement its SQLSTATE, and the next statement runs', async () => {
    await db.query('CREATE TABLE once (id int PRIMARY KEY)');
    const insert = 'INSERT INTO once VALUES ($1)';
    await db.query(insert, [1]);
    await expect(db.query(insert, [1])).rejects.toMatchObject({ code: '23505' });
    await expect(db.query('SELEC $1', [1])).rejects.toMatchObject({ code: '42601' });
    expect(await db.query('SELECT count(*)::int AS n FROM once')).toEqual([{ n: 1 }]);
    await db.query(insert, [2]);
    expect(await db.query('SELECT array_agg(id ORDER BY id) AS ids FROM once')).toEqual([{ ids: [1, 2] }]);
  });

  it('forgets its statements after a script (a migration), whose DDL may change their rows', async () => {
    await db.query('CREATE TABLE shape (a int)');
    await db.query('INSERT INTO shape VALUES (1)');
    const all = 'SELECT * FROM shape WHERE a > $1';
    expect(await db.query(all, [0])).toEqual([{ a: 1 }]);
    await db.transaction((tx) => (tx as ScriptQueryable).exec('ALTER TABLE shape ADD COLUMN b int DEFAULT 7'));
    expect(await db.query(all, [0])).toEqual([{ a: 1, b: 7 }]);
  });
});
