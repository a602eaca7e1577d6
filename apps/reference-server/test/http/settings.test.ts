import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { numberSequence, useServer } from '../support/harness.js';

describe('show_security_notifications', () => {
  const h = useServer();
  const next = numberSequence();

  async function setting(): Promise<boolean> {
    const res = await h.api.call('getApplicationSettings');
    expect(res.status, res.text).toBe(200);
    return (res.body as { settings: { application: { show_security_notifications: boolean } } }).settings.application
      .show_security_notifications;
  }
  async function patch(value: boolean): Promise<void> {
    const res = await h.api.call('updateApplicationSettings', { body: { show_security_notifications: value } });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['meta']);
  }
  const send = (to: string) => h.api.call('sendMessage', { body: { to } });
  const expectSent = async (to: string) => {
    const res = await send(to);
    expect(res.status, res.text).toBe(200);
    expect((res.body as { status: string }).status).toBe('sent');
  };

  it('is off by default, and GET reflects each PATCH', async () => {
    expect(await setting()).toBe(false);
    await patch(true);
    expect(await setting()).toBe(true);
    await patch(true);
    expect(await setting()).toBe(true);
    await patch(false);
    expect(await setting()).toBe(false);
  });

  it('refuses an empty PATCH (minProperties) and bad values with 1009, changing nothing', async () => {
    await patch(true);
    expectError(await h.api.call('updateApplicationSettings', { body: {} }), 400, 1009);
    expectError(
      await h.api.call('updateApplicationSettings', { body: { show_security_notifications: 'false' } }),
      400,
      1009,
    );
    expectError(
      await h.api.call('updateApplicationSettings', { body: { show_security_notifications: null } }),
      400,
      1009,
    );
    expectError(
      await h.api.call('updateApplicationSettings', { body: { show_security_notifications: false, on_call: true } }),
      400,
      1009,
    );
    expectError(await h.api.call('updateApplicationSettings'), 400, 1008);
    expect(await setting()).toBe(true);
    await patch(false);
  });

  it('when on, refuses a send to a user with an unacknowledged identity change (1028) until it is acknowledged', async () => {
    await patch(true);
    const waId = next();
    const hash = await h.sandbox.changeIdentity(waId);
    const res = await send(`+${waId}`);
    expectError(res, 400, 1028, new RegExp(waId));
    expectError(await send(waId), 400, 1028);

    const ack = await h.api.call('acknowledgeIdentity', { params: { wa_id: waId }, body: { hash } });
    expect(ack.status, ack.text).toBe(200);
    await expectSent(`+${waId}`);
  });

  it('when on, sends to users whose identity never changed', async () => {
    await patch(true);
    await expectSent(next());
  });

  it('when on, refuses again after a further change', async () => {
    await patch(true);
    const waId = next();
    const first = await h.sandbox.changeIdentity(waId);
    expect((await h.api.call('acknowledgeIdentity', { params: { wa_id: waId }, body: { hash: first } })).status).toBe(
      200,
    );
    await expectSent(waId);
    await h.sandbox.changeIdentity(waId);
    expectError(await send(waId), 400, 1028);
  });

  it('when off, sends to a user with an unacknowledged change; turning it on refuses the same send', async () => {
    await patch(false);
    const waId = next();
    await h.sandbox.changeIdentity(waId);
    await expectSent(waId);
    await patch(true);
    expectError(await send(waId), 400, 1028);
    await patch(false);
    await expectSent(waId);
  });
});
