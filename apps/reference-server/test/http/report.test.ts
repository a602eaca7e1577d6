import { describe, expect, it } from 'vitest';
import { allBlocked } from '../support/blocklist.js';
import { expectError } from '../support/errors.js';
import { numberSequence, type SandboxReport, useServer } from '../support/harness.js';

describe('POST /v1/contacts/{phone_number}/report', () => {
  const h = useServer();
  const next = numberSequence();

  const report = (phone: string, body?: unknown) =>
    h.api.call('reportContact', { params: { phone_number: phone }, ...(body === undefined ? {} : { body }) });
  const reportsOf = async (waId: string): Promise<SandboxReport[]> =>
    (await h.sandbox.reports()).filter((r) => r.wa_id === waId);
  const expectOk = (res: Awaited<ReturnType<typeof report>>) => {
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['meta']);
  };

  it('reports the message given by message_id, with the reason, without blocking', async () => {
    const waId = next();
    const receivedFrom = h.now();
    const id = await h.sandbox.inbound(waId, { text: 'Buy now', id: `msg-${waId}` });
    const receivedBy = h.now();
    await h.sandbox.inbound(waId, { text: 'and now' });
    const before = h.now();
    expectOk(await report(`+${waId}`, { reason: 'Sends spam', message_id: id }));
    const after = h.now();

    const [only, ...others] = await reportsOf(waId);
    expect(others).toEqual([]);
    expect(only).toEqual({
      wa_id: waId,
      reason: 'Sends spam',
      block: false,
      reported_at: only!.reported_at,
      messages: [{ id, text: 'Buy now', received_at: only!.messages[0]!.received_at }],
    });
    expect(only!.reported_at).toBeGreaterThanOrEqual(before);
    expect(only!.reported_at).toBeLessThanOrEqual(after);
    expect(only!.messages[0]!.received_at).toBeGreaterThanOrEqual(receivedFrom);
    expect(only!.messages[0]!.received_at).toBeLessThanOrEqual(receivedBy);
    expect(await allBlocked(h)).not.toContain(waId);
  });

  it('refuses a message_id of another contact, or of no message, with 1009', async () => {
    const [waId, other] = [next(), next()];
    await h.sandbox.inbound(waId);
    const foreign = await h.sandbox.inbound(other);
    expectError(await report(waId, { message_id: foreign }), 400, 1009);
    expectError(await report(waId, { message_id: 'no-such-message' }), 400, 1009);
    expect(await reportsOf(waId)).toEqual([]);
  });

  it('carries the last 5 inbound messages when there is no message_id', async () => {
    const waId = next();
    const ids: string[] = [];
    for (let i = 1; i <= 7; i++) {
      ids.push(await h.sandbox.inbound(waId, { text: `message ${i}` }));
      await h.sandbox.advanceClock(1000); // distinct receipt times: "last" is unambiguous
    }
    expectOk(await report(waId));
    const [only] = await reportsOf(waId);
    expect(only).toMatchObject({ wa_id: waId, reason: null, block: false });
    expect(only!.messages.map((m) => m.id).sort()).toEqual(ids.slice(2).sort());
    expect(only!.messages.map((m) => m.text).sort()).toEqual([
      'message 3',
      'message 4',
      'message 5',
      'message 6',
      'message 7',
    ]);
  });

  it('carries every message of a contact with fewer than 5', async () => {
    const waId = next();
    const ids = [await h.sandbox.inbound(waId), await h.sandbox.inbound(waId)];
    expectOk(await report(waId, {}));
    const [only] = await reportsOf(waId);
    expect(only!.messages.map((m) => m.id).sort()).toEqual([...ids].sort());
  });

  it('also blocks with block: true', async () => {
    const waId = next();
    await h.sandbox.inbound(waId);
    expectOk(await report(waId, { block: true, reason: 'Abusive' }));
    expect(await allBlocked(h)).toContain(waId);
    expect(await reportsOf(waId)).toMatchObject([{ wa_id: waId, reason: 'Abusive', block: true }]);
  });

  it('keeps every report, oldest first', async () => {
    const waId = next();
    await h.sandbox.inbound(waId);
    expectOk(await report(waId, { reason: 'first' }));
    expectOk(await report(waId, { reason: 'second', block: false }));
    expect((await reportsOf(waId)).map((r) => r.reason)).toEqual(['first', 'second']);
  });

  it('refuses a contact that never wrote (2048), and bad bodies (1009), recording nothing', async () => {
    const [silent, waId] = [next(), next()];
    expectError(await report(silent), 400, 2048);
    await h.sandbox.inbound(waId);
    expectError(await report(waId, { reason: 'r'.repeat(60) }), 400, 1009);
    expectError(await report(waId, { block: 'yes' }), 400, 1009);
    expectError(await report(waId, { message_id: '' }), 400, 1009);
    expectError(await report(waId, { message_id: 'x'.repeat(129) }), 400, 1009);
    expectError(await report(waId, { spam: true }), 400, 1009);
    expect([...(await reportsOf(silent)), ...(await reportsOf(waId))]).toEqual([]);
    expect(await allBlocked(h)).not.toContain(waId);
  });

  it('takes a reason of 59 characters', async () => {
    const waId = next();
    await h.sandbox.inbound(waId);
    expectOk(await report(waId, { reason: 'r'.repeat(59) }));
    expect((await reportsOf(waId))[0]!.reason).toBe('r'.repeat(59));
  });
});
