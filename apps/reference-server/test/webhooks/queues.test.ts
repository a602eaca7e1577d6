import { beforeEach, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import type { ClaimedCallback, ClaimedRun, ClaimOptions, FinishedAttempt } from '../../src/storage/index.js';
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
      repo.claimDueCallbacks(tx, {
        instance: 'i1',
        now: T0,
        realNow: REAL,
        leaseMs: 10_000,
        maxInFlight: 10,
        maxRuns: 10,
        runLength: 1,
        ...o,
      }),
    );
  /** The heads claimed (one callback per run unless runLength says otherwise), as [contact, id]. */
  const heads = async (o: Partial<ClaimOptions> = {}) => (await claim(o)).map((r) => r.callbacks[0]!);
  const claimedIds = async (o: Partial<ClaimOptions> = {}) =>
    (await claim(o)).map((r) => [r.contact, ...r.callbacks.map((c) => c.id)]);
  const attemptsLog = () =>
    db.query('SELECT callback_id::int AS id, attempt, http_status FROM webhook_attempts ORDER BY 1, 2');
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
    const [a1, b1] = await heads();
    expect([a1, b1].map((c) => [c!.contact, c!.id])).toEqual([
      ['A', 1],
      ['B', 3],
    ]);
    expect(await claimedIds()).toEqual([]);
    expect(await finishAll([finish(a1!, { retryAt: T0 + 60_000 }), finish(b1!, { deliveredAt: T0 + 2 })])).toEqual([
      1, 3,
    ]);
    expect(await attemptsLog()).toEqual([
      { id: 1, attempt: 1, http_status: 503 },
      { id: 3, attempt: 1, http_status: 200 },
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
    const [a1, b1] = await heads();
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
    const [a1] = await heads();
    await finishAll([finish(a1!, { deliveredAt: T0 + 2 })]);
    expect(await db.query('SELECT contact FROM webhook_queues')).toEqual([]);
    await queue('A');
    await queue('A');
    const [a2] = await heads();
    expect(a2!.id).toBe(2);
    expect(await repo.redeliverCallback(db, 1, T0, 'i1')).toBe(true);
    await finishAll([finish(a2!, { deliveredAt: T0 + 2 })]);
    expect(await claimedIds()).toEqual([['A', 1]]);
  });

  it('callback_persist false: when the instance stops, its callbacks go with their attempts and the queue moves on to the next', async () => {
    await queue('A', 'i1');
    await queue('A');
    expect(await claimedIds({ instance: 'i2' })).toEqual([]);
    const [a1] = await heads();
    await finishAll([finish(a1!, { retryAt: T0 + 60_000 })]);
    expect(await attemptsLog()).toEqual([{ id: 1, attempt: 1, http_status: 503 }]);
    await db.transaction((tx) => repo.dropMemoryCallbacks(tx, 'i1'));
    expect(await attemptsLog()).toEqual([]);
    expect(await claimedIds({ instance: 'i2' })).toEqual([['A', 2]]);
  });

  it("a claim leases a contact's queue with its next pending callbacks in id order, up to runLength and to the first kept by another instance", async () => {
    for (const contact of ['A', 'A', 'B', 'A']) await queue(contact);
    await queue('A', 'i2');
    await queue('A');
    await queue('C');
    expect(await claimedIds({ runLength: 16, maxInFlight: 2 })).toEqual([
      ['A', 1, 2, 4],
      ['B', 3],
    ]);
    const [a] = await claim({ runLength: 16, realNow: REAL + 10_000 });
    expect(a!.callbacks.map((c) => [c.id, c.head, c.leaseUntil])).toEqual([
      [1, 1, REAL + 20_000],
      [2, 1, REAL + 20_000],
      [4, 1, REAL + 20_000],
    ]);
    expect(await claimedIds({ runLength: 2, realNow: REAL + 20_000 })).toEqual([
      ['A', 1, 2],
      ['B', 3],
      ['C', 7],
    ]);
  });

  it('records a run in one go: the delivered ones, the failed one due after its back-off as the next head, the rest untouched', async () => {
    for (let i = 0; i < 4; i++) await queue('A');
    const [run] = (await claim({ runLength: 16 })) as [ClaimedRun];
    const [c1, c2, c3] = run.callbacks;
    expect(
      await finishAll([
        finish(c1!, { deliveredAt: T0 + 2 }),
        finish(c2!, { deliveredAt: T0 + 4 }),
        finish(c3!, { retryAt: T0 + 60_000 }),
      ]),
    ).toEqual([1, 2, 3]);
    expect(
      await db.query(
        'SELECT id::int AS id, delivered_at, attempts, failures, next_attempt_at FROM webhook_callbacks ORDER BY id',
      ),
    ).toEqual([
      { id: 1, delivered_at: T0 + 2, attempts: 1, failures: 0, next_attempt_at: T0 },
      { id: 2, delivered_at: T0 + 4, attempts: 1, failures: 0, next_attempt_at: T0 },
      { id: 3, delivered_at: null, attempts: 1, failures: 1, next_attempt_at: T0 + 60_000 },
      { id: 4, delivered_at: null, attempts: 0, failures: 0, next_attempt_at: T0 },
    ]);
    expect(
      await db.query('SELECT contact, head_id::int AS head, next_attempt_at, lease_until FROM webhook_queues'),
    ).toEqual([{ contact: 'A', head: 3, next_attempt_at: T0 + 60_000, lease_until: null }]);
    expect(await claimedIds({ runLength: 16 })).toEqual([]);
    const [retry] = (await claim({ runLength: 16, now: T0 + 60_000 })) as [ClaimedRun];
    expect(retry.callbacks.map((c) => c.id)).toEqual([3, 4]);
    await finishAll(retry.callbacks.map((c) => finish(c, { deliveredAt: T0 + 60_002 })));
    expect(await attemptsLog()).toEqual([
      { id: 1, attempt: 1, http_status: 200 },
      { id: 2, attempt: 1, http_status: 200 },
      { id: 3, attempt: 1, http_status: 503 },
      { id: 3, attempt: 2, http_status: 200 },
      { id: 4, attempt: 1, http_status: 200 },
    ]);
    expect(await db.query('SELECT contact FROM webhook_queues')).toEqual([]);
  });

  it('a queue whose head is gone sends the next callback only when that one is due', async () => {
    await queue('A');
    await queue('A');
    await db.query('DELETE FROM webhook_callbacks WHERE id = 1');
    await db.query('UPDATE webhook_callbacks SET next_attempt_at = $1 WHERE id = 2', [T0 + 60_000]);
    expect(await claimedIds({ runLength: 16 })).toEqual([]);
    expect(await claimedIds({ runLength: 16, now: T0 + 60_000, realNow: REAL + 10_000 })).toEqual([['A', 2]]);
  });

  it('records nothing of a run whose lease was lost', async () => {
    for (let i = 0; i < 3; i++) await queue('A');
    const [run] = (await claim({ runLength: 16 })) as [ClaimedRun];
    await db.query(`UPDATE webhook_queues SET lease_until = lease_until + 1 WHERE contact = 'A'`);
    expect(await finishAll(run.callbacks.map((c) => finish(c, { deliveredAt: T0 + 2 })))).toEqual([]);
    expect(await attemptsLog()).toEqual([]);
    expect(await db.query('SELECT count(*)::int AS n FROM webhook_callbacks WHERE delivered_at IS NULL')).toEqual([
      { n: 3 },
    ]);
  });

  it('prunes the delivered callbacks older than the newest `keep`, oldest first, and never a pending one', async () => {
    for (const contact of ['A', 'B', 'C', 'D', 'E', 'F']) await queue(contact);
    const claimed = await heads();
    // D's (id 4) fails and waits for its retry; the others are delivered.
    await finishAll(claimed.map((c) => finish(c, c.id === 4 ? { retryAt: T0 + 60_000 } : { deliveredAt: T0 + 2 })));
    const prune = (keep: number, limit: number) => repo.pruneDeliveredCallbacks(db, keep, limit);
    const ids = async () => (await repo.listCallbacks(db, 'i1', 100)).map((c) => c.id);

    expect(await prune(2, 2)).toBe(2);
    expect(await ids()).toEqual([6, 5, 4, 3]);
    // The newest 2 are 5 and 6: of 3 and 4, only the delivered one goes.
    expect(await prune(2, 100)).toBe(1);
    expect(await ids()).toEqual([6, 5, 4]);
    expect(await prune(2, 100)).toBe(0);
    expect(await prune(0, 100)).toBe(2);
    expect(await ids()).toEqual([4]);
    // Their attempts went with them; the pending one is still queued and goes out when due.
    expect(await attemptsLog()).toEqual([{ id: 4, attempt: 1, http_status: 503 }]);
    expect(await claimedIds({ now: T0 + 60_000 })).toEqual([['D', 4]]);
  });
});
