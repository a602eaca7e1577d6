import { beforeEach, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import type { ClaimedCallback, ClaimOptions, FinishedAttempt } from '../../src/storage/index.js';
import { resetTables } from '../storage/helpers/reset.js';
import { eachTarget, useDatabase } from '../storage/helpers/targets.js';

const T0 = 1_700_000_000_000;
const REAL = 1_800_000_000_000;

/** The outbox's per-contact queues: which callback each claim leases, and what a finish records. */
eachTarget((target) => {
  const { db } = useDatabase(target);
  beforeEach(() => resetTables(db));

  const queue = (contact: string, memoryOwner?: string) =>
    repo.insertCallback(db, { contact, payload: `{"c":"${contact}"}`, now: T0, memoryOwner });
  const claim = (o: Partial<ClaimOptions> = {}) =>
    db.transaction((tx) =>
      repo.claimDueCallbacks(tx, { instance: 'i1', now: T0, realNow: REAL, leaseMs: 10_000, maxInFlight: 10, ...o }),
    );
  const claimedIds = async (o: Partial<ClaimOptions> = {}) => (await claim(o)).map((c) => [c.contact, c.id]);
  const finish = (c: ClaimedCallback, outcome: FinishedAttempt['outcome']) => ({
    callback: c,
    result: { startedAt: T0, durationMs: 2, httpStatus: 'deliveredAt' in outcome ? 200 : 503, error: undefined },
    outcome,
  });
  const finishAll = (list: FinishedAttempt[]) => db.transaction((tx) => repo.finishAttempts(tx, list));

  it("leases each contact's head only: contact A's callback in back-off does not hold back contact B", async () => {
    await queue('A');
    await queue('A');
    await queue('B');
    const [a1, b1] = await claim();
    expect([a1, b1].map((c) => [c!.contact, c!.id, c!.attempt])).toEqual([
      ['A', 1, 1],
      ['B', 3, 1],
    ]);
    expect(await claimedIds()).toEqual([]);
    expect(await finishAll([finish(a1!, { retryAt: T0 + 60_000 }), finish(b1!, { deliveredAt: T0 + 2 })])).toEqual([
      1, 3,
    ]);
    await queue('B');
    // A's head waits for its retry; A's second callback waits behind it; B's next goes.
    expect(await claimedIds()).toEqual([['B', 4]]);
    expect(await claimedIds({ now: T0 + 60_000 })).toEqual([['A', 1]]);
  });

  it('leases no more than maxInFlight minus the heads leased over every instance', async () => {
    for (const contact of ['A', 'B', 'C', 'D']) await queue(contact);
    expect(await claimedIds({ maxInFlight: 2 })).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    expect(await claimedIds({ maxInFlight: 2, instance: 'i2' })).toEqual([]);
    // A lease that ran out frees its slot, and its callback goes out again (at least once).
    expect(await claimedIds({ maxInFlight: 2, realNow: REAL + 10_000 })).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
  });

  it('records nothing for an attempt whose lease was lost, and the rest of the batch all the same', async () => {
    await queue('A');
    await queue('B');
    const [a1, b1] = await claim();
    // Another instance took B over after the lease ran out.
    await db.query(`UPDATE webhook_queues SET lease_until = lease_until + 1 WHERE contact = 'B'`);
    expect(await finishAll([finish(a1!, { deliveredAt: T0 + 2 }), finish(b1!, { deliveredAt: T0 + 2 })])).toEqual([1]);
    expect(
      await db.query('SELECT callback_id::int AS id, attempt, http_status FROM webhook_attempts ORDER BY 1'),
    ).toEqual([{ id: 1, attempt: 1, http_status: 200 }]);
    expect(await db.query('SELECT id::int AS id, delivered_at FROM webhook_callbacks ORDER BY id')).toEqual([
      { id: 1, delivered_at: T0 + 2 },
      { id: 2, delivered_at: null },
    ]);
    expect(await db.query('SELECT contact, head_id::int AS head FROM webhook_queues')).toEqual([
      { contact: 'B', head: 2 },
    ]);
  });

  it('sends a redelivered callback before the later pending ones of its contact, even when one of those is out', async () => {
    await queue('A');
    const [a1] = await claim();
    await finishAll([finish(a1!, { deliveredAt: T0 + 2 })]);
    expect(await db.query('SELECT contact FROM webhook_queues')).toEqual([]);
    await queue('A');
    await queue('A');
    const [a2] = await claim();
    expect(a2!.id).toBe(2);
    expect(await repo.redeliverCallback(db, 1, T0, 'i1')).toBe(true);
    await finishAll([finish(a2!, { deliveredAt: T0 + 2 })]);
    expect(await claimedIds()).toEqual([['A', 1]]);
  });

  it('callback_persist false: when the instance stops, its callbacks go and the queue moves on to the next', async () => {
    await queue('A', 'i1');
    await queue('A');
    expect(await claimedIds({ instance: 'i2' })).toEqual([]);
    await db.transaction((tx) => repo.dropMemoryCallbacks(tx, 'i1'));
    expect(await claimedIds({ instance: 'i2' })).toEqual([['A', 2]]);
  });
});
