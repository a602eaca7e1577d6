import { afterEach, expect, it, vi } from 'vitest';
import { expectError } from '../support/errors.js';
import { numberSequence } from '../support/harness.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';
import { useWebhookServer } from './setup.js';

// Callbacks go out in the background of a loaded machine: seconds, not milliseconds.
vi.setConfig({ testTimeout: 30_000 });

/** Each event's callback, as a real receiver on loopback gets it, in Meta's On-Premises shapes. */
eachStorage([pgliteMemory, postgres], (target) => {
  const { h, receiver } = useWebhookServer(target, { env: { LOG_LEVEL: process.env.TEST_LOG ?? 'silent' } });
  const next = numberSequence();
  afterEach(async () => {
    expect((await h.api.call('resetApplicationSettings')).status).toBe(200);
    receiver.received.length = 0;
  });

  const patch = async (body: Record<string, unknown>) => {
    const res = await h.api.call('updateApplicationSettings', { body } as never);
    expect(res.status, res.text).toBe(200);
  };
  /** The server's clock as a callback's timestamp, around the call. */
  const during = async <T>(fn: () => Promise<T>) => {
    const from = Math.floor(h.now() / 1000);
    const value = await fn();
    return { value, from, to: Math.floor(h.now() / 1000) };
  };
  const expectTimestamp = (t: unknown, w: { from: number; to: number }) => {
    expect(typeof t).toBe('string');
    expect(Number(t)).toBeGreaterThanOrEqual(w.from);
    expect(Number(t)).toBeLessThanOrEqual(w.to);
  };

  it('queues nothing without a webhook URL', async () => {
    await h.sandbox.inbound(next());
    expect(await h.server.db.query('SELECT id FROM webhook_callbacks')).toEqual([]);
  });

  it('inbound: a messages callback with contacts, POSTed as JSON; identity only with security notifications', async () => {
    await patch({ webhooks: { url: receiver.url } });
    const waId = next();
    const first = await during(() =>
      h.api.call('receiveMessage', { body: { from: waId, text: 'Hi there', id: 'wamid-1', profile_name: 'Kerry' } }),
    );
    expect(first.value.status, first.value.text).toBe(200);
    const [plain] = await receiver.waitFor(1);
    expect(plain!.contentType).toBe('application/json');
    const body = plain!.body as { messages: Array<{ timestamp: string }> };
    expectTimestamp(body.messages[0]!.timestamp, first);
    expect(body).toEqual({
      contacts: [{ profile: { name: 'Kerry' }, wa_id: waId }],
      messages: [
        { from: waId, id: 'wamid-1', timestamp: body.messages[0]!.timestamp, type: 'text', text: { body: 'Hi there' } },
      ],
    });

    await patch({ show_security_notifications: true });
    const { hash, created_timestamp } = await h.sandbox.register(waId);
    await h.sandbox.inbound(waId, { text: 'again', id: 'wamid-2' });
    const [, secured] = await receiver.waitFor(2);
    const message = (secured!.body as { messages: Array<Record<string, unknown>> }).messages[0]!;
    expect(secured!.body).toEqual({
      contacts: [{ profile: { name: waId }, wa_id: waId }],
      messages: [
        {
          from: waId,
          id: 'wamid-2',
          timestamp: message.timestamp,
          type: 'text',
          text: { body: 'again' },
          identity: { acknowledged: true, created_timestamp, hash },
        },
      ],
    });
  });

  it('identity change: a system message user_identity_changed with the new hash, with security notifications on', async () => {
    await patch({ webhooks: { url: receiver.url } });
    const quiet = next();
    await h.sandbox.changeIdentity(quiet);
    await patch({ show_security_notifications: true });
    const waId = next();
    const change = await during(() => h.sandbox.changeIdentity(waId));
    const [callback] = await receiver.waitFor(1);
    const message = (callback!.body as { messages: Array<{ id: string; timestamp: string }> }).messages[0]!;
    expectTimestamp(message.timestamp, change);
    expect(message.id).toMatch(/^gBE[A-Za-z0-9_-]{24}$/);
    expect(callback!.body).toEqual({
      messages: [
        {
          from: waId,
          id: message.id,
          timestamp: message.timestamp,
          type: 'system',
          system: { type: 'user_identity_changed', identity: change.value, user: waId },
        },
      ],
    });
    expect(receiver.received).toHaveLength(1);
  });

  it('outbound: sent then delivered, as webhooks.message allows', async () => {
    await patch({ webhooks: { url: receiver.url } });
    const waId = next();
    const send = await during(() => h.api.call('sendMessage', { body: { to: waId } }));
    expect(send.value.status, send.value.text).toBe(200);
    const [sent, delivered] = await receiver.waitFor(2);
    const status = (sent!.body as { statuses: Array<{ id: string; timestamp: string }> }).statuses[0]!;
    expectTimestamp(status.timestamp, send);
    expect([sent!.body, delivered!.body]).toEqual([
      { statuses: [{ id: status.id, recipient_id: waId, status: 'sent', timestamp: status.timestamp }] },
      { statuses: [{ id: status.id, recipient_id: waId, status: 'delivered', timestamp: status.timestamp }] },
    ]);

    await patch({ webhooks: { message: { sent: false } } });
    expect((await h.api.call('sendMessage', { body: { to: waId } })).status).toBe(200);
    const [, , only] = await receiver.waitFor(3);
    expect((only!.body as { statuses: Array<{ status: string }> }).statuses[0]!.status).toBe('delivered');
  });

  it('outbound refused for an unacknowledged identity change (1028): a failed status with error 480', async () => {
    await patch({ webhooks: { url: receiver.url, message: { delivered: false } } });
    const waId = next();
    await h.sandbox.changeIdentity(waId);
    await patch({ show_security_notifications: true });
    expectError(await h.api.call('sendMessage', { body: { to: waId } }), 400, 1028);
    const [failed] = await receiver.waitFor(1);
    const status = (failed!.body as { statuses: Array<{ id: string; timestamp: string }> }).statuses[0]!;
    expect(failed!.body).toEqual({
      statuses: [
        {
          id: status.id,
          recipient_id: waId,
          status: 'failed',
          timestamp: status.timestamp,
          errors: [{ code: 480, title: 'Failed to send message since we detect an identity change of the contact' }],
        },
      ],
    });
  });

  it('keeps max_concurrent_requests callbacks in flight at most, and delivers every one', async () => {
    await patch({ webhooks: { url: receiver.url } });
    const numbers = Array.from({ length: 30 }, () => next());
    await Promise.all(numbers.map((waId) => h.sandbox.inbound(waId)));
    const all = await receiver.waitFor(30, 20_000);
    expect(new Set(all.map((r) => (r.body as { contacts: Array<{ wa_id: string }> }).contacts[0]!.wa_id))).toEqual(
      new Set(numbers),
    );
    expect(receiver.maxInFlight()).toBeLessThanOrEqual(6);
    expect(receiver.maxInFlight()).toBeGreaterThan(1);
  });

  it('answers the request that caused a callback without waiting for the webhook to answer', async () => {
    await patch({ webhooks: { url: receiver.url } });
    receiver.answer = (n) => (n === 0 ? 'hang' : 200);
    const waId = next();
    await h.sandbox.inbound(waId, { id: 'not-waited-for' });
    await receiver.waitFor(1);
    // Answered while the webhook still holds the callback: no attempt has ended yet.
    const attempts = await h.server.db.query(
      'SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_callbacks c ON c.id = a.callback_id WHERE c.contact = $1',
      [waId],
    );
    receiver.release();
    expect(attempts).toEqual([{ n: 0 }]);
    await h.sandbox.advanceClock(3_000);
    const [, retried] = await receiver.waitFor(2);
    expect((retried!.body as { messages: Array<{ id: string }> }).messages[0]!.id).toBe('not-waited-for');
    receiver.answer = () => 200;
  });
});
