import { expect, it, vi } from 'vitest';
import { numberSequence } from '../support/harness.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';
import { startReceiver } from './receiver.js';
import { useWebhookServer } from './setup.js';

vi.setConfig({ testTimeout: 60_000 });

const STEP = 60_000;
const MAX = 150_000;
// Long enough for a loaded machine's first connection to the receiver (0.5–0.8 s seen), short for the timeout test.
const TIMEOUT_MS = 3_000;

interface Row {
  failures: number;
  next_attempt_at: number;
  delivered_at: number | null;
  started_at: number;
  duration_ms: number;
  http_status: number | null;
  error: string | null;
}

/**
 * Meta's linear back-off, timed on the sandbox clock: a step after the first failure, two after
 * the second, then the cap without end; moving the clock sends what fell due at once.
 */
eachStorage([pgliteMemory, postgres], (target) => {
  const { h, receiver } = useWebhookServer(target, {
    env: { WA_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) },
    settings: {
      callback_backoff_delay_ms: STEP,
      max_callback_backoff_delay_ms: MAX,
      show_security_notifications: true,
    },
  });
  const next = numberSequence();

  /** The callback's state and its latest attempt, once that attempt is recorded. */
  async function afterAttempt(attempt: number): Promise<Row> {
    for (let i = 0; i < 200; i++) {
      const [row] = await h.server.db.query<Row>(
        `SELECT c.failures, c.next_attempt_at, c.delivered_at, a.started_at, a.duration_ms, a.http_status, a.error
         FROM webhook_callbacks c JOIN webhook_attempts a ON a.callback_id = c.id AND a.attempt = $1
         ORDER BY c.id DESC LIMIT 1`,
        [attempt],
      );
      if (row && (row.delivered_at !== null || row.failures === attempt)) return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`attempt ${attempt} not recorded within 10 s`);
  }
  const dueIn = (row: Row) => row.next_attempt_at - (row.started_at + row.duration_ms);

  it('retries after 1, 2 steps, then the cap twice; a 2xx ends it; nothing goes out before the clock moves', async () => {
    await h.server.db.query('TRUNCATE webhook_attempts, webhook_callbacks, webhook_queues');
    receiver.answer = (n) => (n < 4 ? 503 : 200);
    receiver.received.length = 0;
    const waId = next();
    await h.sandbox.changeIdentity(waId);

    const first = await afterAttempt(1);
    expect({ status: first.http_status, failures: first.failures, dueIn: dueIn(first) }).toEqual({
      status: 503,
      failures: 1,
      dueIn: STEP,
    });
    expect(receiver.received).toHaveLength(1);

    await h.sandbox.advanceClock(STEP);
    const second = await afterAttempt(2);
    expect({ failures: second.failures, dueIn: dueIn(second) }).toEqual({ failures: 2, dueIn: 2 * STEP });
    // Not yet due: 2 steps from the end of the second attempt are not over.
    await h.sandbox.advanceClock(STEP);
    expect(receiver.received).toHaveLength(2);

    await h.sandbox.advanceClock(STEP);
    const third = await afterAttempt(3);
    expect({ failures: third.failures, dueIn: dueIn(third) }).toEqual({ failures: 3, dueIn: MAX });

    await h.sandbox.advanceClock(MAX);
    const fourth = await afterAttempt(4);
    expect({ failures: fourth.failures, dueIn: dueIn(fourth) }).toEqual({ failures: 4, dueIn: MAX });

    await h.sandbox.advanceClock(MAX);
    const fifth = await afterAttempt(5);
    expect({ status: fifth.http_status, delivered: fifth.delivered_at !== null }).toEqual({
      status: 200,
      delivered: true,
    });
    const bodies = (await receiver.waitFor(5)).map((r) => JSON.stringify(r.body));
    expect(new Set(bodies).size).toBe(1);
    expect(receiver.received).toHaveLength(5);
  });

  it('counts a receiver that does not answer within WA_WEBHOOK_TIMEOUT_MS as a failure, and a refused connection too', async () => {
    await h.server.db.query('TRUNCATE webhook_attempts, webhook_callbacks, webhook_queues');
    receiver.answer = (n) => (n === 0 ? 'hang' : 200);
    receiver.received.length = 0;
    await h.sandbox.changeIdentity(next());
    const timedOut = await afterAttempt(1);
    expect({ status: timedOut.http_status, error: timedOut.error, failures: timedOut.failures }).toEqual({
      status: null,
      error: `timeout: no answer within ${TIMEOUT_MS} ms`,
      failures: 1,
    });
    expect(timedOut.duration_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    await h.sandbox.advanceClock(STEP);
    expect((await afterAttempt(2)).http_status).toBe(200);

    // A port nothing listens on: the receiver closed.
    await h.server.db.query('TRUNCATE webhook_attempts, webhook_callbacks, webhook_queues');
    const closed = await startReceiver();
    await closed.close();
    await h.api.call('updateApplicationSettings', { body: { webhooks: { url: closed.url } } } as never);
    await h.sandbox.changeIdentity(next());
    const refused = await afterAttempt(1);
    expect({ status: refused.http_status, error: refused.error, dueIn: dueIn(refused) }).toEqual({
      status: null,
      error: 'ECONNREFUSED',
      dueIn: STEP,
    });
    await h.api.call('updateApplicationSettings', { body: { webhooks: { url: receiver.url } } } as never);
  });
});
