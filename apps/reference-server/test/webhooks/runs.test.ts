import { afterEach, beforeEach, expect, it } from 'vitest';
import { Clock } from '../../src/clock.js';
import { WebhookDeliverer } from '../../src/domain/webhooks/deliverer.js';
import * as repo from '../../src/storage/index.js';
import { resetTables } from '../storage/helpers/reset.js';
import { eachTarget, useDatabase } from '../storage/helpers/targets.js';
import { watchClaims } from './claims.js';
import { type Receiver, startReceiver } from './receiver.js';

const STEP = 60_000;

/**
 * The deliverer's runs: a claim leases a contact's queue with its next callbacks, POSTed one
 * after another under that lease, and recorded together in the next round.
 */
eachTarget((target) => {
  const { db } = useDatabase(target);
  let receiver: Receiver;
  let deliverer: WebhookDeliverer | undefined;
  /** Claims that leased at least one queue. */
  let claims = 0;
  const errors: unknown[] = [];
  let clock = new Clock();

  beforeEach(async () => {
    await resetTables(db);
    receiver = await startReceiver();
    claims = 0;
    clock = new Clock();
    errors.length = 0;
  });
  afterEach(async () => {
    await deliverer?.close();
    deliverer = undefined;
    await receiver.close();
    expect(errors).toEqual([]);
  });

  const queue = async (count: number, from = 0) => {
    for (let i = from; i < from + count; i++) {
      const callback = {
        contacts: [{ profile: { name: 'Ann' }, wa_id: '16315551000' }],
        messages: [{ from: '16315551000', id: `m-${i}`, timestamp: '1700000000', type: 'text', text: { body: 'hi' } }],
      };
      await repo.insertCallback(db, {
        contact: '16315551000',
        payload: JSON.stringify(callback),
        now: clock.now(),
        memoryOwner: undefined,
      });
    }
  };

  /** A budget no loaded machine can exceed by 10 POSTs: these tests are of claims, not of the budget. */
  const start = async (runBudgetMs = 60_000) => {
    await db.transaction((tx) =>
      repo.updateSettings(tx, { webhooks: { url: receiver.url }, callback_backoff_delay_ms: STEP } as never),
    );
    deliverer = new WebhookDeliverer({
      db: watchClaims(db, () => claims++),
      clock,
      instance: 'i1',
      // Not what these tests are about: a POST timed out on a loaded machine is sent again (a duplicate).
      timeoutMs: 20_000,
      logKeep: 10_000,
      runBudgetMs,
      onError: (error) => errors.push(error),
    });
    await deliverer.start();
  };

  const ids = () => receiver.received.map((r) => (r.body as { messages: Array<{ id: string }> }).messages[0]!.id);
  const attempts = () =>
    db.query('SELECT callback_id::int AS id, attempt, http_status FROM webhook_attempts ORDER BY 1, 2');

  /** Until `count` attempts are recorded (bounded). */
  const recorded = async (count: number) => {
    for (let i = 0; i < 200; i++) {
      if ((await attempts()).length >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${count} attempts were not recorded within 5 s`);
  };

  it("POSTs a contact's queued callbacks one after another, in order, under one claim", async () => {
    await queue(10);
    await start();
    await receiver.waitFor(10);
    await recorded(10);
    expect(ids()).toEqual(Array.from({ length: 10 }, (_, i) => `m-${i}`));
    expect(receiver.maxInFlight()).toBe(1);
    expect(claims).toBe(1);
    expect(await attempts()).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ id: i + 1, attempt: 1, http_status: 200 })),
    );
    expect(await db.query('SELECT contact FROM webhook_queues')).toEqual([]);
  });

  it('ends a run whose budget is spent: the rest go under later claims, still in order, one at a time', async () => {
    await queue(5);
    // No budget: a run POSTs its first callback, then stops as soon as a millisecond has passed since its claim.
    await start(0);
    await receiver.waitFor(5);
    await recorded(5);
    expect(ids()).toEqual(['m-0', 'm-1', 'm-2', 'm-3', 'm-4']);
    expect(receiver.maxInFlight()).toBe(1);
    // Five POSTs take more than a millisecond on any machine.
    expect(claims).toBeGreaterThan(1);
    expect(await attempts()).toEqual(
      Array.from({ length: 5 }, (_, i) => ({ id: i + 1, attempt: 1, http_status: 200 })),
    );
  });

  it('stops a run at a failure; the rest go after the back-off, in order', async () => {
    receiver.answer = (n) => (n === 3 ? 503 : 200);
    await queue(6);
    await start();
    await receiver.waitFor(4);
    await recorded(4);
    expect(ids()).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
    expect(
      await db.query(
        'SELECT id::int AS id, attempts, failures FROM webhook_callbacks WHERE delivered_at IS NULL ORDER BY id',
      ),
    ).toEqual([
      { id: 4, attempts: 1, failures: 1 },
      { id: 5, attempts: 0, failures: 0 },
      { id: 6, attempts: 0, failures: 0 },
    ]);
    clock.advanceTo(STEP);
    deliverer!.poke();
    await receiver.waitFor(7);
    await recorded(7);
    expect(ids()).toEqual(['m-0', 'm-1', 'm-2', 'm-3', 'm-3', 'm-4', 'm-5']);
    expect(claims).toBe(2);
    expect(await attempts()).toEqual([
      { id: 1, attempt: 1, http_status: 200 },
      { id: 2, attempt: 1, http_status: 200 },
      { id: 3, attempt: 1, http_status: 200 },
      { id: 4, attempt: 1, http_status: 503 },
      { id: 4, attempt: 2, http_status: 200 },
      { id: 5, attempt: 1, http_status: 200 },
      { id: 6, attempt: 1, http_status: 200 },
    ]);
  });
});
