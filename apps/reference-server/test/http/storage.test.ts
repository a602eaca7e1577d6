import { afterAll, beforeAll, expect, it } from 'vitest';
import { getBlocklist } from '../support/blocklist.js';
import { expectError } from '../support/errors.js';
import {
  DAY_MS,
  FACTORY,
  NEW_PASSWORD,
  START_TIMEOUT,
  login,
  numberSequence,
  startServer,
  type Harness,
} from '../support/harness.js';
import { eachStorage, pgliteDir, postgres, type StorageInstance } from '../support/storage-targets.js';

/**
 * A representative subset of the API on each storage adapter, then a restart on the same data:
 * everything answered 200 before the restart must still be there after it.
 */
eachStorage([pgliteDir, postgres], (target) => {
  const ENV = { WA_API_VERSION: '2.41', WA_ADMIN_PASSWORD: '' }; // v2.41 tells valid from invalid; the factory account
  const next = numberSequence();
  let storage: StorageInstance;
  let h: Harness;

  // What the first server acknowledged, for the second one to find.
  const blocked = [next(), next(), next()];
  const cachedValid = next();
  const acked = { waId: next(), hash: '', created: 0 };
  let token = '';
  let clockAfterMoves = 0;

  beforeAll(async () => {
    storage = await target.create();
    h = await startServer({ storage, env: ENV, login: 'factory' });
    token = h.api.token!;
  }, START_TIMEOUT);
  afterAll(async () => {
    await h?.close();
    await storage?.cleanup();
  });

  it('logs in: the factory password had to be changed, the new one works', async () => {
    expectError(await h.api.call('login', { basic: FACTORY }), 401, 1005);
    expect(await login(h.api, 'admin', NEW_PASSWORD)).not.toBe('');
  });

  it('checks numbers and caches the results for 7 days', async () => {
    const res = await h.api.call('checkContacts', { body: { contacts: [cachedValid], blocking: 'no_wait' } });
    expect((res.body as { contacts: unknown[] }).contacts).toEqual([
      { input: cachedValid, status: 'processing', wa_id: cachedValid },
    ]);
    await h.server.checks.idle();
    await h.sandbox.deleteAccount(cachedValid);
    const cached = await h.api.call('checkContacts', { body: { contacts: [cachedValid] } });
    expect((cached.body as { contacts: unknown[] }).contacts).toEqual([
      { input: cachedValid, status: 'valid', wa_id: cachedValid },
    ]);
    const forced = await h.api.call('checkContacts', {
      body: { contacts: [`+${cachedValid}`], blocking: 'wait', force_check: true },
    });
    expect((forced.body as { contacts: unknown[] }).contacts).toEqual([
      { input: `+${cachedValid}`, status: 'invalid' },
    ]);
    await h.sandbox.register(cachedValid); // the cache still says invalid: the restart must keep that
  });

  it('blocks engaged contacts and lists them in blocking order', async () => {
    for (const waId of blocked) await h.sandbox.inbound(waId);
    for (const waId of [...blocked].reverse())
      expect((await h.api.call('blockContact', { params: { phone_number: waId } })).status).toBe(200);
    expect(await getBlocklist(h)).toEqual({
      waIds: [...blocked].reverse(),
      pagination: { limit: 100, offset: 0, total: 3 },
    });
  });

  it('acknowledges an identity change', async () => {
    acked.hash = await h.sandbox.changeIdentity(acked.waId);
    expect(
      (await h.api.call('acknowledgeIdentity', { params: { wa_id: acked.waId }, body: { hash: acked.hash } })).status,
    ).toBe(200);
    const res = await h.api.call('getIdentity', { params: { wa_id: acked.waId } });
    const identity = (res.body as { contacts: { hash: string; created_timestamp: number; acknowledged: boolean } })
      .contacts;
    expect(identity).toMatchObject({ hash: acked.hash, acknowledged: true });
    acked.created = identity.created_timestamp;
  });

  it('keeps the settings and the clock offset', async () => {
    expect(
      (await h.api.call('updateApplicationSettings', { body: { show_security_notifications: true } })).status,
    ).toBe(200);
    clockAfterMoves = await h.sandbox.advanceClock(DAY_MS);
    // The harness logged in again after the move; the first token is still valid (6 days left).
    h.api.token = token;
  });

  it(
    'finds everything again after a restart on the same data',
    async () => {
      await h.close();
      h = await startServer({ storage, env: ENV, login: 'none' });

      // Tokens: the one issued before the restart still works.
      h.api.token = token;
      expect((await h.api.call('getApplicationSettings')).body).toMatchObject({
        settings: { application: { show_security_notifications: true } },
      });

      // Password: the changed one, with no new change required; the factory one is gone.
      expect(await login(h.api, 'admin', NEW_PASSWORD)).not.toBe('');
      expectError(await h.api.call('login', { basic: FACTORY }), 401, 1005);

      // The clock did not go back.
      expect(h.now()).toBeGreaterThanOrEqual(clockAfterMoves);

      // The blocklist, in the same order.
      expect(await getBlocklist(h)).toEqual({
        waIds: [...blocked].reverse(),
        pagination: { limit: 100, offset: 0, total: 3 },
      });

      // The acknowledged identity.
      const res = await h.api.call('getIdentity', { params: { wa_id: acked.waId } });
      expect((res.body as { contacts: unknown }).contacts).toEqual({
        hash: acked.hash,
        created_timestamp: acked.created,
        acknowledged: true,
      });

      // The cached check result (invalid, although the number is registered again).
      const cached = await h.api.call('checkContacts', { body: { contacts: [cachedValid], blocking: 'wait' } });
      expect((cached.body as { contacts: unknown[] }).contacts).toEqual([{ input: cachedValid, status: 'invalid' }]);
    },
    START_TIMEOUT,
  );
});
