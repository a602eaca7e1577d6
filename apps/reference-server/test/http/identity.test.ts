import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { HOUR_MS, numberSequence, useServer } from '../support/harness.js';

const HASH = /^[A-Za-z0-9+/]{11}=$/;

type Identity = { hash: string; created_timestamp: number; acknowledged: boolean };

describe('GET / PUT /v1/contacts/{wa_id}/identity', () => {
  const h = useServer();
  const next = numberSequence();

  async function getIdentity(waId: string): Promise<Identity> {
    const res = await h.api.call('getIdentity', { params: { wa_id: waId } });
    expect(res.status, res.text).toBe(200);
    return (res.body as { contacts: Identity }).contacts;
  }
  const acknowledge = (waId: string, hash: string) =>
    h.api.call('acknowledgeIdentity', { params: { wa_id: waId }, body: { hash } });

  it('gives a number seen for the first time an acknowledged identity, created at the server clock', async () => {
    const waId = next();
    const before = h.now();
    const identity = await getIdentity(waId);
    const after = h.now();
    expect(identity.hash).toMatch(HASH);
    expect(identity.acknowledged).toBe(true);
    expect(identity.created_timestamp).toBeGreaterThanOrEqual(before);
    expect(identity.created_timestamp).toBeLessThanOrEqual(after);
  });

  it('keeps the same identity across calls, also when the clock moves', async () => {
    const waId = next();
    const first = await getIdentity(waId);
    await h.sandbox.advanceClock(HOUR_MS);
    expect(await getIdentity(waId)).toEqual(first);
    expect(await getIdentity(waId)).toEqual(first);
  });

  it('gives different numbers different hashes', async () => {
    const [a, b] = [await getIdentity(next()), await getIdentity(next())];
    expect(a.hash).not.toBe(b.hash);
  });

  it('shows the hash a number was registered with in the sandbox', async () => {
    const waId = next();
    const registered = await h.sandbox.register(waId, 'UKD6Y/5SqDU=');
    expect(registered).toMatchObject({ hash: 'UKD6Y/5SqDU=', acknowledged: true });
    expect(await getIdentity(waId)).toEqual(registered);
  });

  it('shows an identity change: the new hash, not acknowledged, created at the change', async () => {
    const waId = next();
    const old = await getIdentity(waId);
    await h.sandbox.advanceClock(HOUR_MS);
    const before = h.now();
    const changed = await h.sandbox.changeIdentity(waId);
    const after = h.now();
    expect(changed).toMatch(HASH);
    expect(changed).not.toBe(old.hash);
    const identity = await getIdentity(waId);
    expect(identity).toEqual({ hash: changed, created_timestamp: identity.created_timestamp, acknowledged: false });
    expect(identity.created_timestamp).toBeGreaterThanOrEqual(before);
    expect(identity.created_timestamp).toBeLessThanOrEqual(after);
  });

  it('refuses to acknowledge with a stale or an unknown hash (1009), then acknowledges the latest one', async () => {
    const waId = next();
    const old = (await getIdentity(waId)).hash;
    const first = await h.sandbox.changeIdentity(waId);
    const latest = await h.sandbox.changeIdentity(waId);
    expect(new Set([old, first, latest]).size).toBe(3);

    expectError(await acknowledge(waId, old), 400, 1009);
    expectError(await acknowledge(waId, first), 400, 1009);
    expectError(await acknowledge(waId, 'AAAAAAAAAAA='), 400, 1009);
    expect((await getIdentity(waId)).acknowledged).toBe(false);

    const res = await acknowledge(waId, latest);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['meta']);
    const identity = await getIdentity(waId);
    expect(identity).toMatchObject({ hash: latest, acknowledged: true });

    // Acknowledging again changes nothing.
    expect((await acknowledge(waId, latest)).status).toBe(200);
    expect(await getIdentity(waId)).toEqual(identity);
  });

  it('accepts the current hash of a number that never changed', async () => {
    const waId = next();
    const { hash } = await getIdentity(waId);
    expect((await acknowledge(waId, hash)).status).toBe(200);
  });

  it('answers 404/1006 for a number without WhatsApp, on GET and PUT', async () => {
    const waId = next();
    const { hash } = await getIdentity(waId);
    await h.sandbox.deleteAccount(waId);
    expectError(await h.api.call('getIdentity', { params: { wa_id: waId } }), 404, 1006);
    expectError(await acknowledge(waId, hash), 404, 1006);
  });

  it('answers 404/1006 for a wa_id that is well-formed but no real number', async () => {
    expectError(await h.api.call('getIdentity', { params: { wa_id: '16310551000' } }), 404, 1006);
  });

  it.each(['abc', '+16315551000', '06315551000', '123456', '1234567890123456', '1631 555 1000'])(
    'refuses the wa_id %j with 400/1009',
    async (waId) => {
      expectError(await h.api.call('getIdentity', { params: { wa_id: waId } }), 400, 1009);
      expectError(await acknowledge(waId, 'UKD6Y/5SqDU='), 400, 1009);
    },
  );

  it('refuses a PUT body without hash (1008), with a malformed hash or an unknown field (1009)', async () => {
    const waId = next();
    const { hash } = await getIdentity(waId);
    expectError(await h.api.call('acknowledgeIdentity', { params: { wa_id: waId }, body: {} }), 400, 1008);
    expectError(await h.api.call('acknowledgeIdentity', { params: { wa_id: waId } }), 400, 1008);
    expectError(await acknowledge(waId, 'not-a-hash'), 400, 1009);
    expectError(await acknowledge(waId, hash.slice(0, -1)), 400, 1009);
    expectError(
      await h.api.call('acknowledgeIdentity', { params: { wa_id: waId }, body: { hash, extra: 1 } }),
      400,
      1009,
    );
  });
});
