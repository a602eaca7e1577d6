import { freshDatabase, type FreshDatabase } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { MAX_RETRIES, type RetryEvent } from '../../src/storage/retry.js';
import { databaseUrl } from './helpers/targets.js';

/**
 * The PostgreSQL adapter runs a transaction (or a query) again when PostgreSQL aborts it
 * with a deadlock (40P01) or a serialization failure (40001), and only then.
 */

const TIMEOUT = 60_000;
const reason = databaseUrl ? '' : ' [skipped: DATABASE_URL is not set (run scripts/ensure-postgres.sh)]';

describe.skipIf(!databaseUrl)(`postgres transaction retries${reason}`, () => {
  let fresh: FreshDatabase;
  let db: Database;
  const retries: RetryEvent[] = [];

  beforeAll(async () => {
    fresh = await freshDatabase(databaseUrl!, { prefix: 'wa_retry_test' });
    db = await openDatabase({ databaseUrl: fresh.url, onRetry: (e) => retries.push(e) });
    await db.query('CREATE TABLE pair (id int PRIMARY KEY, v int NOT NULL)');
    // nextval survives rollbacks: it counts the attempts of a statement that fails once.
    await db.query('CREATE SEQUENCE attempts');
    await db.query(`CREATE FUNCTION fail_first(code text) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('attempts') = 1 THEN RAISE EXCEPTION 'provoked' USING ERRCODE = code; END IF;
        RETURN 1;
      END $$`);
  }, TIMEOUT);

  afterAll(async () => {
    await db?.close();
    await fresh?.drop();
  });

  beforeEach(async () => {
    retries.length = 0;
    await db.query('DELETE FROM pair');
    await db.query('INSERT INTO pair VALUES (1, 0), (2, 0)');
    await db.query("SELECT setval('attempts', 1, false)");
  });

  it(
    'commits both of two transactions that deadlock for real (two rows, opposite orders): one of them on a retry',
    async () => {
      const attempts = { 1: 0, 2: 0 };
      let holders = 0;
      let release!: () => void;
      const bothHoldOneRow = new Promise<void>((resolve) => (release = resolve));
      const run = (first: 1 | 2, second: 1 | 2) =>
        db.transaction(async (tx) => {
          attempts[first]++;
          await tx.query('UPDATE pair SET v = v + 1 WHERE id = $1', [first]);
          // First attempts wait for each other, so each holds one row and asks for the other's.
          if (attempts[first] === 1 && ++holders === 2) release();
          if (attempts[first] === 1) await bothHoldOneRow;
          await tx.query('UPDATE pair SET v = v + 1 WHERE id = $1', [second]);
        });
      await Promise.all([run(1, 2), run(2, 1)]);

      // PostgreSQL aborted one of them, which ran again; a retry that wins the race for a row its
      // rival was waiting for can deadlock once more, hence "at least one".
      expect(retries.length).toBeGreaterThanOrEqual(1);
      expect(retries.map((r) => r.code)).toEqual(retries.map(() => '40P01'));
      expect(attempts[1] + attempts[2]).toBe(2 + retries.length);
      expect(await db.query('SELECT id, v FROM pair ORDER BY id')).toEqual([
        { id: 1, v: 2 },
        { id: 2, v: 2 },
      ]);
    },
    TIMEOUT,
  );

  it('retries a transaction that fails once with 40001 and commits it', async () => {
    let attempts = 0;
    const result = await db.transaction(async (tx) => {
      attempts++;
      await tx.query('UPDATE pair SET v = v + 1 WHERE id = 1');
      await tx.query("SELECT fail_first('40001')");
      return attempts;
    });
    expect(result).toBe(2);
    expect(retries.map(({ code, attempt }) => ({ code, attempt }))).toEqual([{ code: '40001', attempt: 1 }]);
    expect(await db.query('SELECT v FROM pair WHERE id = 1')).toEqual([{ v: 1 }]);
  });

  it('does not retry a transaction that fails with another error (23505)', async () => {
    let attempts = 0;
    const failing = db.transaction(async (tx) => {
      attempts++;
      await tx.query('UPDATE pair SET v = v + 1 WHERE id = 1');
      await tx.query('INSERT INTO pair VALUES (2, 0)');
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect({ attempts, retries: retries.length }).toEqual({ attempts: 1, retries: 0 });
    expect(await db.query('SELECT v FROM pair WHERE id = 1')).toEqual([{ v: 0 }]);
  });

  it('retries a plain query that fails once with 40P01', async () => {
    expect(await db.query("SELECT fail_first('40P01') AS ok")).toEqual([{ ok: 1 }]);
    expect(retries.map(({ code, attempt }) => ({ code, attempt }))).toEqual([{ code: '40P01', attempt: 1 }]);
  });

  it(`gives up after ${MAX_RETRIES} retries and throws the last error`, async () => {
    let attempts = 0;
    const failing = db.transaction(async (tx) => {
      attempts++;
      await tx.query("DO $$ BEGIN RAISE EXCEPTION 'always' USING ERRCODE = '40001'; END $$");
    });
    await expect(failing).rejects.toMatchObject({ code: '40001' });
    expect({ attempts, retried: retries.map((r) => r.attempt) }).toEqual({
      attempts: MAX_RETRIES + 1,
      retried: [1, 2, 3, 4, 5],
    });
  });
});
