import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { HOUR_MS, numberSequence, START_TIMEOUT, startServer, useServer } from '../support/harness.js';

const HASH = /^[A-Za-z0-9+/]{11}=$/;

describe('the sandbox routes', () => {
  const h = useServer();
  const next = numberSequence();

  const identityOf = async (waId: string) => {
    const res = await h.api.call('getIdentity', { params: { wa_id: waId } });
    return { status: res.status, identity: (res.body as { contacts?: unknown }).contacts };
  };

  describe('PUT /sandbox/accounts/{wa_id}', () => {
    it('registers a number with its stable derived identity, acknowledged, created now', async () => {
      const waId = next();
      const before = h.now();
      const res = await h.api.call('registerAccount', { params: { wa_id: waId } });
      const after = h.now();
      expect(res.status, res.text).toBe(200);
      const account = (
        res.body as {
          account: { wa_id: string; identity: { hash: string; created_timestamp: number; acknowledged: boolean } };
        }
      ).account;
      expect(account.wa_id).toBe(waId);
      expect(account.identity.hash).toMatch(HASH);
      expect(account.identity.acknowledged).toBe(true);
      expect(account.identity.created_timestamp).toBeGreaterThanOrEqual(before);
      expect(account.identity.created_timestamp).toBeLessThanOrEqual(after);
      expect(await identityOf(waId)).toEqual({ status: 200, identity: account.identity });
    });

    it('resets a changed identity to the stable hash, acknowledged, as of the new registration', async () => {
      const waId = next();
      const stable = await h.sandbox.register(waId);
      const changed = await h.sandbox.changeIdentity(waId);
      expect(changed).not.toBe(stable.hash);
      await h.sandbox.advanceClock(HOUR_MS);
      const before = h.now();
      const again = await h.sandbox.register(waId);
      expect(again).toEqual({ hash: stable.hash, acknowledged: true, created_timestamp: again.created_timestamp });
      expect(again.created_timestamp).toBeGreaterThanOrEqual(before);
      expect(again.created_timestamp).toBeLessThanOrEqual(h.now());
      expect(await identityOf(waId)).toEqual({ status: 200, identity: again });
    });

    it('sets the identity hash given, acknowledged, replacing a pending change', async () => {
      const waId = next();
      await h.sandbox.changeIdentity(waId);
      const identity = await h.sandbox.register(waId, 'Rc/eg9RQ0JA=');
      expect(identity).toMatchObject({ hash: 'Rc/eg9RQ0JA=', acknowledged: true });
      expect((await identityOf(waId)).identity).toEqual(identity);
    });

    it('gives a deleted number its account back', async () => {
      const waId = next();
      await h.sandbox.deleteAccount(waId);
      expect((await identityOf(waId)).status).toBe(404);
      await h.sandbox.register(waId);
      expect((await identityOf(waId)).status).toBe(200);
    });

    it('refuses a bad wa_id, a malformed hash and unknown fields with 1009', async () => {
      expectError(await h.api.call('registerAccount', { params: { wa_id: '+16315551000' } }), 400, 1009);
      expectError(
        await h.api.call('registerAccount', { params: { wa_id: next() }, body: { identity_hash: 'short=' } }),
        400,
        1009,
      );
      expectError(
        await h.api.call('registerAccount', { params: { wa_id: next() }, body: { hash: 'Rc/eg9RQ0JA=' } }),
        400,
        1009,
      );
    });
  });

  describe('DELETE /sandbox/accounts/{wa_id}', () => {
    it('takes a number off WhatsApp, also twice and also a number never seen', async () => {
      const waId = next();
      await h.sandbox.inbound(waId);
      await h.sandbox.deleteAccount(waId);
      await h.sandbox.deleteAccount(waId);
      expectError(await h.api.call('getIdentity', { params: { wa_id: waId } }), 404, 1006);
    });

    it('refuses a bad wa_id with 1009', async () => {
      expectError(await h.api.call('deleteAccount', { params: { wa_id: 'abc' } }), 400, 1009);
    });
  });

  describe('POST /sandbox/accounts/{wa_id}/identity-change', () => {
    it('gives the user a new random hash each time', async () => {
      const waId = next();
      const hashes = [
        await h.sandbox.changeIdentity(waId),
        await h.sandbox.changeIdentity(waId),
        await h.sandbox.changeIdentity(waId),
      ];
      for (const hash of hashes) expect(hash).toMatch(HASH);
      expect(new Set(hashes).size).toBe(3);
      expect((await identityOf(waId)).identity).toMatchObject({ hash: hashes[2], acknowledged: false });
    });

    it('answers 404/1006 for a deleted account and 1009 for a bad wa_id', async () => {
      const waId = next();
      await h.sandbox.deleteAccount(waId);
      expectError(await h.api.call('changeIdentity', { params: { wa_id: waId } }), 404, 1006);
      expectError(await h.api.call('changeIdentity', { params: { wa_id: '0' } }), 400, 1009);
    });
  });

  describe('POST /sandbox/inbound', () => {
    it('keeps the id given, and makes a new unique one when there is none', async () => {
      const waId = next();
      expect(await h.sandbox.inbound(waId, { id: `given-${waId}` })).toBe(`given-${waId}`);
      const made = [await h.sandbox.inbound(waId), await h.sandbox.inbound(waId)];
      for (const id of made) expect(id.length).toBeGreaterThan(0);
      expect(made[0]).not.toBe(made[1]);
    });

    it('answers 404/1006 for a message from a deleted account', async () => {
      const waId = next();
      await h.sandbox.deleteAccount(waId);
      expectError(await h.api.call('receiveMessage', { body: { from: waId, text: 'hi' } }), 404, 1006);
      // …and the message did not make the number engaged.
      await h.sandbox.register(waId);
      expectError(await h.api.call('blockContact', { params: { phone_number: waId } }), 400, 2048);
    });

    it('refuses a duplicate message id with 1009, even from another sender', async () => {
      const [a, b] = [next(), next()];
      const id = `dup-${a}`;
      await h.sandbox.inbound(a, { id });
      expectError(await h.api.call('receiveMessage', { body: { from: a, text: 'again', id } }), 400, 1009);
      expectError(await h.api.call('receiveMessage', { body: { from: b, text: 'again', id } }), 400, 1009);
      // b did not become engaged through the refused message.
      expectError(await h.api.call('blockContact', { params: { phone_number: b } }), 400, 2048);
    });

    it('refuses missing fields (1008) and bad values (1009)', async () => {
      const waId = next();
      expectError(await h.api.call('receiveMessage', { body: { text: 'hi' } }), 400, 1008);
      expectError(await h.api.call('receiveMessage', { body: { from: waId } }), 400, 1008);
      expectError(await h.api.call('receiveMessage', { body: { from: `+${waId}`, text: 'hi' } }), 400, 1009);
      expectError(await h.api.call('receiveMessage', { body: { from: waId, text: 'x'.repeat(4097) } }), 400, 1009);
      expectError(await h.api.call('receiveMessage', { body: { from: waId, text: 'hi', id: '' } }), 400, 1009);
      expectError(await h.api.call('receiveMessage', { body: { from: waId, text: 'hi', type: 'text' } }), 400, 1009);
    });
  });

  describe('POST /sandbox/outbound', () => {
    const send = (to: string) => h.api.call('sendMessage', { body: { to } });

    it('sends to a WhatsApp user, in any format', async () => {
      const waId = next();
      for (const to of [waId, `+${waId}`, `+1 (${waId.slice(1, 4)}) ${waId.slice(4, 7)}-${waId.slice(7)}`]) {
        const res = await send(to);
        expect(res.status, res.text).toBe(200);
        expect((res.body as { status: string }).status).toBe('sent');
      }
    });

    it('refuses a contact the business blocked with 1013, and sends again once unblocked', async () => {
      const waId = next();
      await h.sandbox.inbound(waId);
      expect((await h.api.call('blockContact', { params: { phone_number: waId } })).status).toBe(200);
      expectError(await send(waId), 400, 1013, new RegExp(waId));
      expect((await h.api.call('unblockContact', { params: { phone_number: waId } })).status).toBe(200);
      expect((await send(waId)).status).toBe(200);
    });

    it('refuses a deleted account with 1013', async () => {
      const waId = next();
      await h.sandbox.deleteAccount(waId);
      expectError(await send(`+${waId}`), 400, 1013, new RegExp(waId));
    });

    it('refuses a number that is not real with 1013, and what is no number with 1009', async () => {
      expectError(await send('+1 631 055 1000'), 400, 1013);
      expectError(await send('abc'), 400, 1009);
      expectError(await send('+163155588'), 400, 1009);
    });

    it('refuses a missing "to" or body with 1008', async () => {
      expectError(await h.api.call('sendMessage', { body: {} }), 400, 1008);
      expectError(await h.api.call('sendMessage'), 400, 1008);
    });

    it('refuses a bad "to" with 1009', async () => {
      expectError(await h.api.call('sendMessage', { body: { to: 16315551000 } }), 400, 1009);
      expectError(await h.api.call('sendMessage', { body: { to: '' } }), 400, 1009);
    });
  });

  describe('POST /sandbox/clock', () => {
    it('moves the clock forward and returns the new now', async () => {
      const before = h.now();
      const res = await h.api.call('advanceClock', { body: { advance_ms: 2 * HOUR_MS } });
      const after = h.now();
      expect(res.status, res.text).toBe(200);
      const now = (res.body as { now: number }).now;
      expect(now).toBeGreaterThanOrEqual(before + 2 * HOUR_MS);
      expect(now).toBeLessThanOrEqual(after);
      expect(after - Date.now()).toBeGreaterThanOrEqual(2 * HOUR_MS);
    });

    it('accepts 0', async () => {
      const before = h.now();
      const now = await h.sandbox.advanceClock(0);
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThan(before + 60_000);
    });

    it('refuses to go back, fractions, strings, too far and a missing advance_ms', async () => {
      const before = h.now();
      expectError(await h.api.call('advanceClock', { body: { advance_ms: -1 } }), 400, 1009);
      expectError(await h.api.call('advanceClock', { body: { advance_ms: 1.5 } }), 400, 1009);
      expectError(await h.api.call('advanceClock', { body: { advance_ms: '1000' } }), 400, 1009);
      expectError(await h.api.call('advanceClock', { body: { advance_ms: 3153600000001 } }), 400, 1009);
      expectError(await h.api.call('advanceClock', { body: {} }), 400, 1008);
      expect(h.now() - before).toBeLessThan(60_000);
    });
  });

  describe('GET /sandbox/reports', () => {
    it(
      'is empty on a fresh server',
      async () => {
        const fresh = await startServer();
        try {
          expect(await fresh.sandbox.reports()).toEqual([]);
        } finally {
          await fresh.close();
        }
      },
      START_TIMEOUT,
    );
  });

  it('needs the bearer token like the API (401/1005)', async () => {
    expectError(await h.api.call('listReports', { token: null }), 401, 1005);
    expectError(await h.api.call('advanceClock', { token: 'garbage', body: { advance_ms: 1 } }), 401, 1005);
    expectError(await h.api.call('registerAccount', { token: null, params: { wa_id: next() } }), 401, 1005);
  });
});
