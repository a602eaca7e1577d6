import { describe, expect, it } from 'vitest';
import { allBlocked } from '../support/blocklist.js';
import { expectError, META_DETAILS } from '../support/errors.js';
import { HOUR_MS, numberSequence, useServer } from '../support/harness.js';

const ENGAGEMENT_MS = 24 * HOUR_MS;

describe('POST /v1/contacts/{phone_number}/block and /unblock', () => {
  const h = useServer();
  const next = numberSequence();

  const block = (phone: string, body?: unknown) =>
    h.api.call('blockContact', { params: { phone_number: phone }, ...(body === undefined ? {} : { body }) });
  const unblock = (phone: string) => h.api.call('unblockContact', { params: { phone_number: phone } });
  const expectOk = (res: Awaited<ReturnType<typeof block>>) => {
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['meta']);
  };

  it("refuses a contact that never wrote to the business (2048, Meta's details)", async () => {
    const waId = next();
    expectError(await block(waId), 400, 2048, META_DETAILS.notEngaged);
    expect(await allBlocked(h)).not.toContain(waId);
  });

  it('blocks an engaged contact', async () => {
    const waId = next();
    await h.sandbox.inbound(waId);
    expectOk(await block(`+${waId}`, { reason: 'Sends spam' }));
    expect(await allBlocked(h)).toContain(waId);
  });

  it('accepts a body-less block', async () => {
    const waId = next();
    await h.sandbox.inbound(waId);
    expectOk(await block(waId));
    expect(await allBlocked(h)).toContain(waId);
  });

  it('judges engagement by the last inbound message: still engaged just before 24 hours, not at 24 hours + 1 ms', async () => {
    const [early, late] = [next(), next()];
    await h.sandbox.inbound(early);
    await h.sandbox.inbound(late);
    const receivedBy = h.now();

    await h.sandbox.advanceClock(ENGAGEMENT_MS - 60_000);
    expectOk(await block(early));

    await h.sandbox.advanceClock(receivedBy + ENGAGEMENT_MS + 1 - h.now());
    expectError(await block(late), 400, 2048, META_DETAILS.notEngaged);
    expectError(
      await h.api.call('reportContact', { params: { phone_number: late } }),
      400,
      2048,
      META_DETAILS.notEngaged,
    );

    // A new message opens a new window.
    await h.sandbox.inbound(late);
    expectOk(await block(late));
  });

  it('takes a reason of 59 characters and refuses 60 (1009)', async () => {
    const [a, b] = [next(), next()];
    await h.sandbox.inbound(a);
    await h.sandbox.inbound(b);
    expectOk(await block(a, { reason: 'r'.repeat(59) }));
    expectError(await block(b, { reason: 'r'.repeat(60) }), 400, 1009);
    expect(await allBlocked(h)).not.toContain(b);
  });

  it('refuses a body that is not a BlockRequest (1009)', async () => {
    const waId = next();
    await h.sandbox.inbound(waId);
    expectError(await block(waId, { reason: 42 }), 400, 1009);
    expectError(await block(waId, { reason: 'x', block: true }), 400, 1009);
    expectError(await h.api.call('blockContact', { params: { phone_number: waId }, rawBody: '{"reason":' }), 400, 1009);
  });

  it.each(['abc', '+163155588', '12'])(
    "refuses the unusable phone number %j with 1009 and Meta's details, on block, unblock and report",
    async (phone) => {
      expectError(await block(phone), 400, 1009, META_DETAILS.invalidPhoneNumber);
      expectError(await unblock(phone), 400, 1009, META_DETAILS.invalidPhoneNumber);
      expectError(
        await h.api.call('reportContact', { params: { phone_number: phone } }),
        400,
        1009,
        META_DETAILS.invalidPhoneNumber,
      );
    },
  );

  it('reads the phone number in any dialable format, URL-encoded', async () => {
    const waId = next();
    const pretty = `+1 (${waId.slice(1, 4)}) ${waId.slice(4, 7)}-${waId.slice(7)}`;
    await h.sandbox.inbound(waId);
    expectOk(await block(pretty));
    expect(await allBlocked(h)).toContain(waId);
    expectOk(await unblock(`${waId.slice(1, 4)}-${waId.slice(4, 7)}-${waId.slice(7)}`));
    expect(await allBlocked(h)).not.toContain(waId);
  });

  it('keeps the place of a contact blocked twice', async () => {
    const [a, b, c] = [next(), next(), next()];
    for (const waId of [a, b, c]) await h.sandbox.inbound(waId);
    for (const waId of [a, b, c]) expectOk(await block(waId));
    expectOk(await block(`+${a}`, { reason: 'again' }));
    const blocked = await allBlocked(h);
    expect(blocked.filter((w) => [a, b, c].includes(w))).toEqual([a, b, c]);
    expect(blocked.filter((w) => w === a)).toHaveLength(1);
  });

  it('unblocks a blocked contact, without needing engagement; blocking again puts it last', async () => {
    const [a, b] = [next(), next()];
    await h.sandbox.inbound(a);
    await h.sandbox.inbound(b);
    expectOk(await block(a));
    expectOk(await block(b));
    await h.sandbox.advanceClock(ENGAGEMENT_MS + 1);
    expectOk(await unblock(a));
    expect(await allBlocked(h)).not.toContain(a);
    await h.sandbox.inbound(a);
    expectOk(await block(a));
    const blocked = await allBlocked(h);
    expect(blocked.slice(-2)).toEqual([b, a]);
  });

  it('unblocks a contact that is not blocked with 200, changing nothing', async () => {
    const before = await allBlocked(h);
    expectOk(await unblock(next()));
    expectOk(await unblock(next()));
    expect(await allBlocked(h)).toEqual(before);
  });
});
