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

  it(`records a look-up of ${N} numbers and reads their results back, one statement each way`, async () => {
    await repo.addPendingChecks(db, numbers.slice(0, N - 1), T0);
    await repo.registerAccount(db, { waId: numbers[1]!, now: T0 });
    await repo.deleteAccount(db, numbers[3]!, T0);
    const q = counting(db);
    // Every third number is not a real one; an account's row decides over that.
    const real = (waId: string) => (Number(waId) - 16_315_550_000) % 3 !== 0;
    const onWhatsApp = await repo.recordLookUp(q, {
      waIds: [...numbers].reverse(),
      real,
      checkedAt: T0,
      count: { day: 7, shard: 1, checked: N },
    });
    expect(q.calls).toBe(1);
    const expected = (i: number) => (i === 3 ? false : i === 1 || i % 3 !== 0);
    expect(onWhatsApp.size).toBe(numbers.filter((_, i) => expected(i)).length);

    const got = await repo.getContactChecks(q, [...numbers].reverse());
    expect(q.calls).toBe(2);
    expect(got).toHaveLength(N);
    for (let i = 0; i < N; i++) {
      const c = got[i]!;
      const status = expected(i) ? 'valid' : 'invalid';
      if (
        c.waId !== numbers[i] ||
        c.checkedAt !== T0 ||
        c.status !== status ||
        onWhatsApp.has(c.waId) !== expected(i)
      ) {
        throw new Error(`row ${i} is ${JSON.stringify(c)}`);
      }
    }
    // Every pending check settled, every number counted, in the same statement.
    expect(await repo.listPendingChecks(db)).toEqual([]);
    expect(await repo.sumMisuseCounts(db, 7, 7)).toEqual({ checked: N, sent: 0 });
  }, 60_000);

  it(`replaces ${N} older results in one statement, and never a newer one`, async () => {
    const real = () => true;
    await repo.recordLookUp(db, { waIds: numbers.filter((_, i) => i % 2 === 0), real, checkedAt: T0 + 2 });
    await repo.recordLookUp(db, { waIds: numbers.filter((_, i) => i % 2 === 1), real, checkedAt: T0 });
    const q = counting(db);
    await repo.recordLookUp(q, { waIds: numbers, real: () => false, checkedAt: T0 + 1 });
    expect(q.calls).toBe(1);
    const rows = await db.query<{ status: string; checkedAt: number; n: number }>(
      `SELECT status, checked_at AS "checkedAt", count(*) AS n FROM contact_checks
       GROUP BY status, checked_at ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: 'invalid', checkedAt: T0 + 1, n: N / 2 },
      { status: 'valid', checkedAt: T0 + 2, n: N / 2 },
    ]);
  }, 60_000);

  it(`adds and lists ${N} pending checks, one statement`, async () => {
    const q = counting(db);
    await repo.addPendingChecks(q, numbers, T0);
    expect(q.calls).toBe(1);
    expect(await repo.listPendingChecks(db)).toHaveLength(N);
  }, 60_000);
});
