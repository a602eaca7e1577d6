// The client against the REAL reference server (apps/reference-server), run as a child process
// on an in-memory database. The tests share one server and run in order: the first one sets
// the factory account's password, the last one moves the server's clock a week forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactsClient, WhatsAppApiError, type ContactsClient } from '../src/index.js';
import { createSandboxClient, type SandboxClient } from '../src/sandbox.js';
import { startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';

const DAY_MS = 24 * 60 * 60 * 1000;
const newPassword = 'Str0ng-Passw0rd!';
const admin = { username: 'admin', password: newPassword };
const stableMeta = { api_status: 'stable', version: 'v2.45.1' };

let server: RunningServer;
let contacts: ContactsClient;
let sandbox: SandboxClient;

beforeAll(async () => {
  server = await startReferenceServer({ from: import.meta.url, timeoutMs: 45_000 });
});
afterAll(async () => {
  await server?.stop();
});

/** The error a promise rejects with, checked to be a WhatsAppApiError. */
async function refusal(promise: Promise<unknown>): Promise<WhatsAppApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WhatsAppApiError);
  return error as WhatsAppApiError;
}

/** A fetch that records "METHOD path?query status" for each exchange. */
function recordingFetch() {
  const log: string[] = [];
  async function fetchAndRecord(request: Request): Promise<Response> {
    const { pathname, search } = new URL(request.url);
    const response = await fetch(request);
    log.push(`${request.method} ${pathname}${search} ${response.status}`);
    return response;
  }
  return { fetch: fetchAndRecord, log };
}

const blocked = (waId: string) => ({ wa_id: `${waId}@s.whatsapp.net` });

describe('the client on the reference server', () => {
  it('first login of the factory account: 1024 without newPassword, then the lazy login sets it', async () => {
    const factory = { username: 'admin', password: 'secret' };
    const error = await refusal(
      createContactsClient({ baseUrl: server.url, credentials: factory }).getApplicationSettings(),
    );
    expect(error).toMatchObject({
      status: 400,
      code: 1024,
      title: 'Password Change Required',
      details: 'This is the first login of this account. Send new_password in the body to set a new password.',
      meta: stableMeta,
    });

    const { fetch, log } = recordingFetch();
    contacts = createContactsClient({ baseUrl: server.url, credentials: { ...factory, newPassword }, fetch });
    await expect(contacts.getApplicationSettings()).resolves.toMatchObject({ show_security_notifications: false });
    expect(log).toEqual(['POST /v1/users/login 200', 'GET /v1/settings/application 200']);
    sandbox = createSandboxClient({ from: contacts });

    // The factory password is gone; the new one logs in, with a token valid for 7 days.
    await expect(
      refusal(createContactsClient({ baseUrl: server.url, credentials: factory }).login()),
    ).resolves.toMatchObject({
      status: 401,
      code: 1005,
      title: 'Access denied',
    });
    const before = Date.now();
    const user = await createContactsClient({ baseUrl: server.url, credentials: admin }).login();
    expect(user.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(user.expires_after).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);
    const expiresAt = Date.parse(user.expires_after.replace(' ', 'T'));
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor((before + 7 * DAY_MS) / 1000) * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS);
  });

  it("checkContacts with wait: Meta's five numbers are valid, with their wa_ids (US business number)", async () => {
    const results = await contacts.checkContacts(
      ['16315551000', '+1 631 555 1001', '6315551002', '+1 (631) 555-1004', '1-631-555-1005'],
      {
        wait: true,
      },
    );
    expect(results).toEqual([
      { input: '16315551000', status: 'valid', wa_id: '16315551000' },
      { input: '+1 631 555 1001', status: 'valid', wa_id: '16315551001' },
      { input: '6315551002', status: 'valid', wa_id: '16315551002' },
      { input: '+1 (631) 555-1004', status: 'valid', wa_id: '16315551004' },
      { input: '1-631-555-1005', status: 'valid', wa_id: '16315551005' },
    ]);
  });

  it('checkContacts without wait: processing, then the final result once the background check ran', async () => {
    const numbers = ['+1 631 555 2000', '16315552001', 'not a number'];
    await expect(contacts.checkContacts(numbers, { wait: false })).resolves.toEqual([
      { input: '+1 631 555 2000', status: 'processing', wa_id: '16315552000' },
      { input: '16315552001', status: 'processing', wa_id: '16315552001' },
      { input: 'not a number', status: 'failed' },
    ]);
    const final = [
      { input: '+1 631 555 2000', status: 'valid', wa_id: '16315552000' },
      { input: '16315552001', status: 'valid', wa_id: '16315552001' },
      { input: 'not a number', status: 'failed' },
    ];
    // The server checks in the background at once (WA_CHECK_DELAY_MS=0): poll the cache until it has the answers.
    await expect
      .poll(() => contacts.checkContacts(numbers, { wait: false }), { interval: 20, timeout: 5_000 })
      .toEqual(final);
  });

  it('block needs engagement: 2048, then an inbound message, then the block succeeds', async () => {
    const error = await refusal(contacts.blockContact('+1 (631) 555-3000', { reason: 'Sends spam' }));
    expect(error).toMatchObject({
      status: 400,
      code: 2048,
      title: 'Not engaged contact',
      details: "Invalid Request. This contact hasn't engaged with you in the last 24 hrs.",
      errors: [
        {
          code: 2048,
          title: 'Not engaged contact',
          details: "Invalid Request. This contact hasn't engaged with you in the last 24 hrs.",
        },
      ],
      meta: stableMeta,
    });

    await expect(
      sandbox.receiveMessage({ from: '16315553000', text: 'Hello', id: 'wamid.block-test-1' }),
    ).resolves.toBe('wamid.block-test-1');
    await expect(contacts.blockContact('+1 (631) 555-3000', { reason: 'Sends spam' })).resolves.toBeUndefined();
    await expect(contacts.getBlocklist()).resolves.toEqual({
      contacts: [blocked('16315553000')],
      pagination: { limit: 100, offset: 0, total: 1 },
    });

    // A blocked contact cannot be written to (1013); unblocking clears the list for the next test.
    await expect(refusal(sandbox.sendMessage('16315553000'))).resolves.toMatchObject({
      status: 400,
      code: 1013,
      title: 'User is not valid',
      details: '16315553000 is blocked by the business.',
    });
    await contacts.unblockContact('+16315553000');
    await expect(contacts.getBlocklist()).resolves.toEqual({
      contacts: [],
      pagination: { limit: 100, offset: 0, total: 0 },
    });
    await expect(sandbox.sendMessage('16315553000')).resolves.toBe('sent');
  });

  it('blocklist() walks 450 blocked contacts in pages of 200, in blocking order', { timeout: 60_000 }, async () => {
    // Not in numeric order, so that the order seen is the blocking order and not a sort.
    const waIds = Array.from({ length: 450 }, (_, i) => `1631555${4000 + ((i * 7) % 450)}`);
    expect(new Set(waIds).size).toBe(450);
    // Engagement in any order, 50 at a time; the blocks one after the other, to fix their order.
    for (let i = 0; i < waIds.length; i += 50) {
      await Promise.all(waIds.slice(i, i + 50).map((from) => sandbox.receiveMessage({ from, text: 'Hi' })));
    }
    for (const waId of waIds) await contacts.blockContact(waId);

    const { fetch, log } = recordingFetch();
    const reader = createContactsClient({ baseUrl: server.url, credentials: admin, fetch });
    const seen = [];
    for await (const contact of reader.blocklist({ pageSize: 200 })) seen.push(contact);

    expect(seen).toEqual(waIds.map(blocked));
    expect(log).toEqual([
      'POST /v1/users/login 200',
      'GET /v1/contacts/blocklist?limit=200&offset=0 200',
      'GET /v1/contacts/blocklist?limit=200&offset=200 200',
      'GET /v1/contacts/blocklist?limit=200&offset=400 200',
    ]);
    await expect(reader.getBlocklist({ limit: 2, offset: 448 })).resolves.toEqual({
      contacts: waIds.slice(448).map(blocked),
      pagination: { limit: 2, offset: 448, total: 450 },
    });
  });

  it('identity change: acknowledged false, acknowledgeIdentity, then true; a stale hash is 1009', async () => {
    const waId = '16315555000';
    const account = await sandbox.registerAccount(waId, { identityHash: 'UKD6Y/5SqDU=' });
    expect(account).toEqual({
      wa_id: waId,
      identity: { hash: 'UKD6Y/5SqDU=', created_timestamp: expect.any(Number), acknowledged: true },
    });
    await expect(contacts.getIdentity(waId)).resolves.toEqual(account.identity);

    const hash = await sandbox.changeIdentity(waId);
    expect(hash).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(hash).not.toBe('UKD6Y/5SqDU=');
    const changed = await contacts.getIdentity(waId);
    expect(changed).toEqual({ hash, created_timestamp: expect.any(Number), acknowledged: false });
    expect(changed.created_timestamp).toBeGreaterThanOrEqual(account.identity.created_timestamp);

    const stale = await refusal(contacts.acknowledgeIdentity(waId, 'UKD6Y/5SqDU='));
    expect(stale).toMatchObject({
      status: 400,
      code: 1009,
      title: 'Parameter value is not valid',
      details: `UKD6Y/5SqDU= is not the latest identity hash of ${waId}.`,
    });
    await expect(contacts.getIdentity(waId)).resolves.toEqual(changed);

    await expect(contacts.acknowledgeIdentity(waId, hash)).resolves.toBeUndefined();
    await expect(contacts.getIdentity(waId)).resolves.toEqual({ ...changed, acknowledged: true });
  });

  it('application settings round trip', async () => {
    const defaults = await contacts.getApplicationSettings();
    expect(defaults).toMatchObject({
      show_security_notifications: false,
      callback_persist: true,
      wa_id: '16315550100',
    });
    await expect(contacts.updateApplicationSettings({ show_security_notifications: true })).resolves.toBeUndefined();
    await expect(contacts.getApplicationSettings()).resolves.toEqual({
      ...defaults,
      show_security_notifications: true,
    });
    // An empty patch breaks the spec's minProperties: 1, and changes nothing.
    await expect(refusal(contacts.updateApplicationSettings({}))).resolves.toMatchObject({
      status: 400,
      code: 1009,
      title: 'Parameter value is not valid',
      details: 'body must NOT have fewer than 1 properties',
    });
    await expect(contacts.getApplicationSettings()).resolves.toEqual({
      ...defaults,
      show_security_notifications: true,
    });
    await contacts.updateApplicationSettings({ callback_backoff_delay_ms: 1000 });
    await expect(contacts.resetApplicationSettings()).resolves.toBeUndefined();
    await expect(contacts.getApplicationSettings()).resolves.toEqual(defaults);
  });

  it('sendMessage: 1028 while show_security_notifications is on and the change is unacknowledged', async () => {
    const waId = '16315556000';
    await sandbox.registerAccount(waId);
    const hash = await sandbox.changeIdentity(waId);

    // Off (the default): the unacknowledged change does not hold the message back.
    await expect(sandbox.sendMessage(waId)).resolves.toBe('sent');

    await contacts.updateApplicationSettings({ show_security_notifications: true });
    try {
      const error = await refusal(sandbox.sendMessage('+1 631 555 6000'));
      expect(error).toMatchObject({
        status: 400,
        code: 1028,
        title: 'A user_identity_changed system notification requires acknowledgement',
        details: `The identity of ${waId} changed; acknowledge it with PUT /v1/contacts/${waId}/identity before sending.`,
        meta: { api_status: 'experimental', version: 'v2.45.1' },
      });
      await contacts.acknowledgeIdentity(waId, hash);
      await expect(sandbox.sendMessage('+1 631 555 6000')).resolves.toBe('sent');
    } finally {
      await contacts.updateApplicationSettings({ show_security_notifications: false });
    }
  });

  it('sendMessage: 1013 for a number taken off WhatsApp, 1009 for one that cannot be read', async () => {
    await sandbox.deleteAccount('16315557000');
    await expect(refusal(sandbox.sendMessage('16315557000'))).resolves.toMatchObject({
      status: 400,
      code: 1013,
      title: 'User is not valid',
      details: '16315557000 is not a WhatsApp user.',
    });
    await expect(refusal(sandbox.sendMessage('not a number'))).resolves.toMatchObject({
      status: 400,
      code: 1009,
      details:
        'Provided WhatsApp ID is not valid. Please provide a valid WhatsApp ID or a phone number with a country code',
    });
    // Registered again, it can be written to.
    await sandbox.registerAccount('16315557000');
    await expect(sandbox.sendMessage('16315557000')).resolves.toBe('sent');
  });

  it('reportContact reaches WhatsApp: listReports shows the report and its message', async () => {
    const waId = '16315558000';
    const before = await sandbox.advanceClock(0);
    const id = await sandbox.receiveMessage({ from: waId, text: 'Buy now' });
    await contacts.reportContact('+1 631 555 8000', { reason: 'Sends spam', messageId: id });

    const reports = await sandbox.listReports();
    expect(reports).toEqual([
      {
        wa_id: waId,
        reason: 'Sends spam',
        block: false,
        reported_at: expect.any(Number),
        messages: [{ id, text: 'Buy now', received_at: expect.any(Number) }],
      },
    ]);
    expect(reports[0]!.messages[0]!.received_at).toBeGreaterThanOrEqual(before);
    expect(reports[0]!.reported_at).toBeGreaterThanOrEqual(reports[0]!.messages[0]!.received_at);
  });

  it('logout revokes the token on the server; the next call logs in again', async () => {
    const { fetch, log } = recordingFetch();
    const client = createContactsClient({ baseUrl: server.url, credentials: admin, fetch });
    const token = (await client.login()).token;
    await client.logout();
    const stale = createContactsClient({ baseUrl: server.url, token });
    expect(await refusal(stale.getApplicationSettings())).toMatchObject({ status: 401, code: 1005 });
    await expect(client.getApplicationSettings()).resolves.toMatchObject({ show_security_notifications: false });
    expect(log).toEqual([
      'POST /v1/users/login 200',
      'POST /v1/users/logout 200',
      'POST /v1/users/login 200',
      'GET /v1/settings/application 200',
    ]);
  });

  it('token expiry: 7 days + 1 ms later, the next call logs in again by itself and succeeds', async () => {
    const { fetch, log } = recordingFetch();
    const client = createContactsClient({ baseUrl: server.url, credentials: admin, fetch });
    const clock = createSandboxClient({ from: client });
    await client.getApplicationSettings();

    const before = await clock.advanceClock(0);
    const now = await clock.advanceClock(7 * DAY_MS + 1);
    expect(now - before).toBeGreaterThanOrEqual(7 * DAY_MS + 1);
    expect(now - before).toBeLessThan(7 * DAY_MS + 60_000);

    await expect(client.getApplicationSettings()).resolves.toMatchObject({ show_security_notifications: false });
    expect(log).toEqual([
      'POST /v1/users/login 200',
      'GET /v1/settings/application 200',
      'POST /sandbox/clock 200',
      'POST /sandbox/clock 200',
      'GET /v1/settings/application 401',
      'POST /v1/users/login 200',
      'GET /v1/settings/application 200',
    ]);
    // The shared clients of the first test re-log in the same way.
    await expect(sandbox.listReports()).resolves.toHaveLength(1);
    await expect(contacts.getBlocklist({ limit: 0 })).resolves.toEqual({
      contacts: [],
      pagination: { limit: 0, offset: 0, total: 450 },
    });
  });
});
