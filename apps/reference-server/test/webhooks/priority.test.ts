import { afterEach, beforeEach, expect, it } from 'vitest';
import { Clock } from '../../src/clock.js';
import { ApiPriority } from '../../src/domain/webhooks/api-priority.js';
import { API_ACTIVE_SLOTS, WebhookDeliverer } from '../../src/domain/webhooks/deliverer.js';
import * as repo from '../../src/storage/index.js';
import { resetTables } from '../storage/helpers/reset.js';
import { eachTarget, useDatabase } from '../storage/helpers/targets.js';
import { watchClaims } from './claims.js';
import { type Receiver, startReceiver } from './receiver.js';

const CONTACTS = 30;
const PER_CONTACT = 5;
const SLOTS = 24;

/** The deliverer while the API is in use: fewer runs in flight, and never stalled. */
eachTarget((target) => {
  const { db } = useDatabase(target);
  let receiver: Receiver;
  let deliverer: WebhookDeliverer | undefined;
  /** Runs and callbacks of each claim that leased something. */
  let claims: Array<{ runs: number; longest: number }> = [];
  const errors: unknown[] = [];

  beforeEach(async () => {
    await resetTables(db);
    receiver = await startReceiver();
    claims = [];
    errors.length = 0;
  });
  afterEach(async () => {
    await deliverer?.close();
    deliverer = undefined;
    await receiver.close();
    expect(errors).toEqual([]);
  });

  /** Runs and the longest run of a claim. */
  const record = (rows: Array<{ contact: string }>) => {
    const perContact = new Map<string, number>();
    for (const row of rows) perContact.set(row.contact, (perContact.get(row.contact) ?? 0) + 1);
    claims.push({ runs: perContact.size, longest: Math.max(...perContact.values()) });
  };

  const contact = (c: number) => String(16315551000 + c);
  const queue = async () => {
    for (let i = 0; i < PER_CONTACT; i++)
      for (let c = 0; c < CONTACTS; c++) {
        const from = contact(c);
        const callback = {
          contacts: [{ profile: { name: 'Ann' }, wa_id: from }],
          messages: [{ from, id: `m-${c}-${i}`, timestamp: '1700000000', type: 'text', text: { body: 'hi' } }],
        };
        await repo.insertCallback(db, {
          contact: from,
          payload: JSON.stringify(callback),
          now: 0,
          memoryOwner: undefined,
        });
      }
  };

  const deliver = async (priority: ApiPriority) => {
    await queue();
    await db.transaction((tx) =>
      repo.updateSettings(tx, { webhooks: { url: receiver.url, max_concurrent_requests: SLOTS } } as never),
    );
    deliverer = new WebhookDeliverer({
      db: watchClaims(db, record),
      clock: new Clock(),
      instance: 'i1',
      // Not what these tests are about: a POST timed out on a loaded machine is sent again (a duplicate).
      timeoutMs: 20_000,
      logKeep: 10_000,
      onError: (error) => errors.push(error),
      priority,
    });
    await deliverer.start();
    await receiver.waitFor(CONTACTS * PER_CONTACT, 30_000);
  };

  /** Each contact's callbacks as received, in the order received. */
  const perContact = () => {
    const seen = new Map<string, string[]>();
    for (const r of receiver.received) {
      const { from, id } = (r.body as { messages: Array<{ from: string; id: string }> }).messages[0]!;
      seen.set(from, [...(seen.get(from) ?? []), id]);
    }
    return seen;
  };
  /** All of them, in order. */
  const everyOneInOrder = new Map(
    Array.from({ length: CONTACTS }, (_, c) => [
      contact(c),
      Array.from({ length: PER_CONTACT }, (_, i) => `m-${c}-${i}`),
    ]),
  );

  it('with the API in use, keeps at most API_ACTIVE_SLOTS runs in flight', async () => {
    const priority = new ApiPriority({ activeMs: 600_000 });
    priority.apiRequest();
    await deliver(priority);
    expect(receiver.received).toHaveLength(CONTACTS * PER_CONTACT);
    expect(perContact()).toEqual(everyOneInOrder);
    expect(receiver.maxInFlight()).toBe(API_ACTIVE_SLOTS);
    expect(Math.max(...claims.map((c) => c.runs))).toBe(API_ACTIVE_SLOTS);
    expect(Math.max(...claims.map((c) => c.longest))).toBe(PER_CONTACT);
  });

  it('with the API idle, fills every slot', async () => {
    await deliver(new ApiPriority());
    expect(perContact()).toEqual(everyOneInOrder);
    expect(receiver.maxInFlight()).toBe(SLOTS);
    expect(Math.max(...claims.map((c) => c.runs))).toBe(SLOTS);
  });

  it('drains at the floor, one step per slice, when the loop never drops under its share', async () => {
    let busy = 0;
    const priority = new ApiPriority({ activeMs: 600_000, sliceMs: 1, busyMs: () => (busy += 1_000) });
    priority.apiRequest();
    await deliver(priority);
    expect(receiver.received).toHaveLength(CONTACTS * PER_CONTACT);
    expect(perContact()).toEqual(everyOneInOrder);
    expect(receiver.maxInFlight()).toBeLessThanOrEqual(API_ACTIVE_SLOTS);
  });
});
