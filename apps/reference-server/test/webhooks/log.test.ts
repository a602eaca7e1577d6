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
    // Delivered callbacks, each after a refused connection, written to the tables in one statement
    // (a thousand events through the API took 15 s of CI): the log reads them as it reads any.
    const now = h.now();
    await h.server.db.query(
      `WITH c AS (
         INSERT INTO webhook_callbacks (contact, payload, created_at, attempts, failures, next_attempt_at, delivered_at)
         SELECT '1631555' || lpad(i::text, 4, '0'), '{"statuses":[{"id":"wamid.' || i || '","status":"sent"}]}',
                $1::bigint - i, 2, 1, $1::bigint - i, $1::bigint - i + 7
         FROM generate_series(1, $2::int) AS i
         RETURNING id, created_at)
       INSERT INTO webhook_attempts (callback_id, attempt, started_at, duration_ms, http_status, error)
       SELECT id, a, created_at + a, a * 3, CASE WHEN a = 2 THEN 200 END, CASE WHEN a = 1 THEN 'ECONNREFUSED' END
       FROM c, generate_series(1, 2) AS a`,
      [now, LARGE_ARRAY_SIZE],
    );
    const res = await h.api.call('listWebhookCallbacks', { query: { limit: LARGE_ARRAY_SIZE } });
    expect(res.status, res.text).toBe(200);
    const body = JSON.parse(res.text) as { callbacks: Logged[] };
    expect(body.callbacks).toHaveLength(LARGE_ARRAY_SIZE);
    // Newest first: the last row written (i = 1,000).
    expect(body.callbacks[0]).toEqual({
      id: body.callbacks[0]!.id,
      contact: '16315551000',
      payload: { statuses: [{ id: 'wamid.1000', status: 'sent' }] },
      persisted: true,
      created_at: now - 1000,
      delivered_at: now - 993,
      next_attempt_at: null,
      attempts: [
        { attempt: 1, started_at: now - 999, duration_ms: 3, http_status: null, error: 'ECONNREFUSED' },
        { attempt: 2, started_at: now - 998, duration_ms: 6, http_status: 200, error: null },
      ],
    });
    // A callback JSON.stringify copied with a property or a type the schema does not have comes out otherwise.
    expect(JSON.parse(itemByItem(body))).toEqual(body);
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
