import { beforeEach, expect, it } from 'vitest';
import type { Queryable } from '../../src/storage/database.js';
import * as repo from '../../src/storage/index.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const N = 10_000;
const numbers = Array.from({ length: N }, (_, i) => String(16_315_550_000 + i));

/** Counts round trips, to hold the repositories to one statement per bulk call. */
function counting(q: Queryable): Queryable & { calls: number } {
  const counter = {
    calls: 0,
    query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      counter.calls++;
      return q.query<T>(sql, params);
    },
  };
  return counter;
}

eachTarget((target) => {
  const { db } = useDatabase(target);

  beforeEach(() => resetTables(db));

  it(`writes and reads ${N} check results, one statement each way`, async () => {
    const q = counting(db);
    await repo.upsertContactChecks(
      q,
      numbers.map((waId, i) => ({ waId, status: i % 3 === 0 ? 'invalid' : 'valid', checkedAt: T0 + i })),
    );
    expect(q.calls).toBe(1);

    const got = await repo.getContactChecks(q, [...numbers].reverse());
    expect(q.calls).toBe(2);
    expect(got).toHaveLength(N);
    expect(got[0]).toEqual({ waId: '16315550000', status: 'invalid', checkedAt: T0 });
    expect(got[N - 1]).toEqual({ waId: '16315559999', status: 'invalid', checkedAt: T0 + 9999 });
    for (let i = 0; i < N; i++) {
      const c = got[i]!;
      if (c.waId !== numbers[i] || c.checkedAt !== T0 + i || c.status !== (i % 3 === 0 ? 'invalid' : 'valid')) {
        throw new Error(`row ${i} is ${JSON.stringify(c)}`);
      }
    }

    // Half fresh, half stale.
    expect(await repo.getContactChecks(db, numbers, T0 + N / 2)).toHaveLength(N / 2);
  }, 60_000);

  it(`overwrites ${N} results with newer ones in one statement, and skips older ones`, async () => {
    await repo.upsertContactChecks(
      db,
      numbers.map((waId) => ({ waId, status: 'valid', checkedAt: T0 })),
    );
    const q = counting(db);
    await repo.upsertContactChecks(
      q,
      numbers.map((waId, i) => ({ waId, status: 'invalid', checkedAt: i % 2 === 0 ? T0 + 1 : T0 - 1 })),
    );
    expect(q.calls).toBe(1);
    const rows = await db.query<{ status: string; checkedAt: number; n: number }>(
      `SELECT status, checked_at AS "checkedAt", count(*) AS n FROM contact_checks
       GROUP BY status, checked_at ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: 'invalid', checkedAt: T0 + 1, n: N / 2 },
      { status: 'valid', checkedAt: T0, n: N / 2 },
    ]);
  }, 60_000);

  it(`adds, lists and removes ${N} pending checks, one statement each`, async () => {
    const q = counting(db);
    await repo.addPendingChecks(q, numbers, T0);
    expect(await repo.listPendingChecks(db)).toHaveLength(N);
    expect(await repo.removePendingChecks(q, numbers.slice(0, N - 1))).toBe(N - 1);
    expect(q.calls).toBe(2);
    expect(await repo.listPendingChecks(db)).toEqual([{ waId: '16315559999', requestedAt: T0 }]);
  }, 60_000);

  it(`reads the known accounts among ${N} numbers in one query`, async () => {
    await repo.registerAccount(db, { waId: numbers[17]!, now: T0 });
    await repo.deleteAccount(db, numbers[9001]!, T0);
    const q = counting(db);
    const got = await repo.getAccounts(q, numbers);
    expect(q.calls).toBe(1);
    expect(got.map((a) => [a.waId, a.hasAccount])).toEqual([
      [numbers[17], true],
      [numbers[9001], false],
    ]);
  }, 60_000);
});
