import { expect, it, vi } from 'vitest';
import { LARGE_ARRAY_SIZE } from '../../src/http/serialization.js';
import { sandboxSpec } from '../../src/specs.js';
import { expectError } from '../support/errors.js';
import { type Harness, numberSequence } from '../support/harness.js';
import { itemByItemSerializer } from '../support/item-by-item.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';
import { useWebhookServer } from './setup.js';

vi.setConfig({ testTimeout: 60_000 });

const STEP = 60_000;
const itemByItem = itemByItemSerializer(sandboxSpec, '/sandbox/webhooks', 'get');

interface Logged {
  id: number;
  contact: string;
  payload: unknown;
  persisted: boolean;
  created_at: number;
  delivered_at: number | null;
  next_attempt_at: number | null;
  attempts: Array<{
    attempt: number;
    started_at: number;
    duration_ms: number;
    http_status: number | null;
    error: string | null;
  }>;
}

/** GET /sandbox/webhooks: the log, newest first. */
async function readLog(h: Harness): Promise<Logged[]> {
  const res = await h.api.call('listWebhookCallbacks');
  expect(res.status, res.text).toBe(200);
  return (res.body as { callbacks: Logged[] }).callbacks;
}

/** GET /sandbox/webhooks and POST /sandbox/webhooks/{id}/redeliver. */
eachStorage([pgliteMemory, postgres], (target) => {
  const { h, receiver } = useWebhookServer(target, {
    answer: (n) => (n === 0 ? 503 : 200),
    settings: { callback_backoff_delay_ms: STEP, show_security_notifications: true },
  });
  const next = numberSequence();

  const log = () => readLog(h);
  /** The log once its newest callback has n attempts (bounded). */
  async function logAfter(n: number): Promise<Logged> {
    for (let i = 0; i < 200; i++) {
      const [newest] = await log();
      if (newest?.attempts.length === n) return newest;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no attempt ${n} logged within 10 s`);
  }

  it('logs each attempt with status, duration and the next attempt; redelivery sends the payload again', async () => {
    const waId = next();
    const createdFrom = h.now();
    await h.sandbox.changeIdentity(waId);
    const [first] = await receiver.waitFor(1);
    const failed = await logAfter(1);
    const a1 = failed.attempts[0]!;
    expect(failed).toEqual({
      id: 1,
      contact: waId,
      payload: first!.body,
      persisted: true,
      created_at: failed.created_at,
      delivered_at: null,
      next_attempt_at: a1.started_at + a1.duration_ms + STEP,
      attempts: [{ attempt: 1, started_at: a1.started_at, duration_ms: a1.duration_ms, http_status: 503, error: null }],
    });
    expect(failed.created_at).toBeGreaterThanOrEqual(createdFrom);
    expect(a1.started_at).toBeGreaterThanOrEqual(failed.created_at);

    await h.sandbox.advanceClock(STEP);
    const delivered = await logAfter(2);
    const a2 = delivered.attempts[1]!;
    expect(delivered).toMatchObject({ delivered_at: a2.started_at + a2.duration_ms, next_attempt_at: null });
    expect(a2).toMatchObject({ attempt: 2, http_status: 200, error: null });

    const res = await h.api.call('redeliverWebhookCallback', { params: { id: '1' } });
    expect(res.status, res.text).toBe(200);
    const [, , again] = await receiver.waitFor(3);
    expect(again!.body).toEqual(first!.body);
    const redelivered = await logAfter(3);
    expect(redelivered.attempts.map((a) => [a.attempt, a.http_status])).toEqual([
      [1, 503],
      [2, 200],
      [3, 200],
    ]);
    expect(redelivered.delivered_at).not.toBeNull();
  });

  it('refuses to redeliver an unknown callback (404, 1006) or a bad id (1009)', async () => {
    expectError(await h.api.call('redeliverWebhookCallback', { params: { id: '999' } }), 404, 1006);
    expectError(await h.api.call('redeliverWebhookCallback', { params: { id: 'x' } }), 400, 1009);
  });

  it(`writes a page of ${LARGE_ARRAY_SIZE} callbacks as the spec's item-by-item serialiser does`, async () => {
    const before = (await log()).length;
    for (let i = before; i < LARGE_ARRAY_SIZE; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, LARGE_ARRAY_SIZE - i) }, () => h.sandbox.changeIdentity(next())),
      );
    // Read once every callback has been delivered (bounded: 30 s).
    let text = '';
    let body = { callbacks: [] as Logged[] };
    for (let i = 0; i < 300; i++) {
      const res = await h.api.call('listWebhookCallbacks', { query: { limit: LARGE_ARRAY_SIZE } });
      expect(res.status, res.text).toBe(200);
      ({ text } = res);
      body = JSON.parse(text);
      if (body.callbacks.length === LARGE_ARRAY_SIZE && body.callbacks.every((c) => c.delivered_at !== null)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body.callbacks).toHaveLength(LARGE_ARRAY_SIZE);
    expect(body.callbacks.filter((c) => c.delivered_at === null)).toEqual([]);
    // A callback JSON.stringify copied with a property or a type the schema does not have comes out otherwise.
    expect(JSON.parse(itemByItem(body))).toEqual(JSON.parse(text));
  });
});

/** WA_WEBHOOK_LOG_KEEP: the log keeps the newest callbacks, and older ones once delivered are deleted. */
eachStorage([pgliteMemory, postgres], (target) => {
  const { h, receiver } = useWebhookServer(target, {
    env: { WA_WEBHOOK_LOG_KEEP: '3' },
    // The first callback fails, and waits a minute of sandbox time for its retry.
    answer: (n) => (n === 0 ? 503 : 200),
    settings: { callback_backoff_delay_ms: STEP, show_security_notifications: true },
  });
  const next = numberSequence();

  /** The log's ids once they are `ids` (bounded: the log is cut once a second). */
  async function logBecomes(ids: number[]): Promise<void> {
    let seen: number[] = [];
    for (let i = 0; i < 100; i++) {
      seen = (await readLog(h)).map((c) => c.id);
      if (seen.join() === ids.join()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen, 'the log within 10 s').toEqual(ids);
  }

  it('deletes delivered callbacks older than the newest 3, keeps a pending one until it is delivered', async () => {
    for (let i = 0; i < 6; i++) await h.sandbox.changeIdentity(next());
    await receiver.waitFor(6);
    await logBecomes([6, 5, 4, 1]);
    await h.sandbox.advanceClock(STEP);
    await receiver.waitFor(7);
    await logBecomes([6, 5, 4]);
    expectError(await h.api.call('redeliverWebhookCallback', { params: { id: '2' } }), 404, 1006);
  });
});
