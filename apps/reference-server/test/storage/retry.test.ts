import { freshDatabase, type FreshDatabase } from '@wa-contacts/test-kit';
import pg from 'pg';
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
  let other: pg.Client;
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
    other = new pg.Client({ connectionString: fresh.url });
    await other.connect();
  }, TIMEOUT);

  afterAll(async () => {
    await other?.end();
    await db?.close();
    await fresh?.drop();
  });

  beforeEach(async () => {
    retries.length = 0;
    await db.query('DELETE FROM pair');
    await db.query('INSERT INTO pair VALUES (1, 0), (2, 0)');
    await db.query("SELECT setval('attempts', 1, false)");
  });

  /** Until a backend of this database waits for a row lock (bounded: 200 polls, 10 s). */
  async function someoneWaitsForALock(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (let i = 0; i < 200 && Date.now() < deadline; i++) {
      const rows = await db.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no backend ever waited for a lock');
  }

  it('commits a transaction on its second attempt after a real deadlock (two connections, two rows, opposite orders)', async () => {
    await other.query('BEGIN');
    await other.query('UPDATE pair SET v = v + 10 WHERE id = 2');
    let attempts = 0;
    let firstHoldsRow1!: () => void;
    const holding = new Promise<void>((resolve) => (firstHoldsRow1 = resolve));
    const transaction = db.transaction(async (tx) => {
      attempts++;
      await tx.query('UPDATE pair SET v = v + 1 WHERE id = 1');
      if (attempts === 1) firstHoldsRow1();
      // Waits for `other`, which then asks for row 1: the deadlock detector aborts this one, the first to wait.
      await tx.query('UPDATE pair SET v = v + 1 WHERE id = 2');
      return attempts;
    });
    await holding;
    await someoneWaitsForALock();
    await other.query('UPDATE pair SET v = v + 10 WHERE id = 1');
    await other.query('COMMIT');

    expect(await transaction).toBe(2);
    expect(retries.map(({ code, attempt }) => ({ code, attempt }))).toEqual([{ code: '40P01', attempt: 1 }]);
    expect(await db.query('SELECT id, v FROM pair ORDER BY id')).toEqual([
      { id: 1, v: 11 },
      { id: 2, v: 11 },
    ]);
  }, TIMEOUT);

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
    expect({ attempts, retried: retries.map((r) => r.attempt) }).toEqual({ attempts: MAX_RETRIES + 1, retried: [1, 2, 3, 4, 5] });
  });
});
