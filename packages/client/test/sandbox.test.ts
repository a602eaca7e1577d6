import { describe, expect, it } from 'vitest';
import { createContactsClient, WhatsAppApiError as MainWhatsAppApiError } from '../src/index.js';
import { createSandboxClient, WhatsAppApiError, type SandboxClient } from '../src/sandbox.js';
import {
  accessDenied,
  basic,
  errorAnswer,
  fakeFetch,
  isLogin,
  json,
  loginAnswer,
  type Sent,
  sentTo,
} from './support/fake-fetch.js';

const baseUrl = 'http://api.test';
const meta = { api_status: 'experimental', version: 'v2.45.1' } as const;
const ok = () => json(200, { meta });
const credentials = { username: 'admin', password: 'Old-Passw0rd!' };

function sandboxAnswering(answer: (sent: Sent) => Response) {
  const { fetch, sent } = fakeFetch(answer);
  return { sandbox: createSandboxClient({ baseUrl, fetch, token: 'tok' }), sent };
}

const request = (method: string, path: string, body = ''): Sent => ({
  method,
  url: `${baseUrl}${path}`,
  headers: body ? { authorization: 'Bearer tok', 'content-type': 'application/json' } : { authorization: 'Bearer tok' },
  body,
});

describe('sandbox helpers: exact requests, unwrapped answers', () => {
  const account = {
    wa_id: '16315551000',
    identity: { hash: 'UKD6Y/5SqDU=', created_timestamp: 1600132094000, acknowledged: true },
  };

  it('registerAccount without an identity sends no body and returns the account', async () => {
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta, account }));
    await expect(sandbox.registerAccount('16315551000')).resolves.toEqual(account);
    expect(sent).toEqual([request('PUT', '/sandbox/accounts/16315551000')]);
  });

  it('registerAccount with an identity hash sends it as identity_hash', async () => {
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta, account }));
    await sandbox.registerAccount('16315551000', { identityHash: 'UKD6Y/5SqDU=' });
    await sandbox.registerAccount('16315551000', { identityHash: undefined });
    expect(sent).toEqual([
      request('PUT', '/sandbox/accounts/16315551000', '{"identity_hash":"UKD6Y/5SqDU="}'),
      request('PUT', '/sandbox/accounts/16315551000'),
    ]);
  });

  it('deleteAccount sends DELETE and returns nothing', async () => {
    const { sandbox, sent } = sandboxAnswering(ok);
    await expect(sandbox.deleteAccount('16315551000')).resolves.toBeUndefined();
    expect(sent).toEqual([request('DELETE', '/sandbox/accounts/16315551000')]);
  });

  it('refillRateLimits sends DELETE /sandbox/rate-limits and returns nothing', async () => {
    const { sandbox, sent } = sandboxAnswering(ok);
    await expect(sandbox.refillRateLimits()).resolves.toBeUndefined();
    expect(sent).toEqual([request('DELETE', '/sandbox/rate-limits')]);
  });

  it('changeIdentity returns the new hash', async () => {
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta, hash: 'Rc/eg9RQ0JA=' }));
    await expect(sandbox.changeIdentity('16315551000')).resolves.toBe('Rc/eg9RQ0JA=');
    expect(sent).toEqual([request('POST', '/sandbox/accounts/16315551000/identity-change')]);
  });

  it('receiveMessage sends from and text, the id only when given, and returns the message id', async () => {
    const { sandbox, sent } = sandboxAnswering((s) =>
      json(200, { meta, message_id: s.body.includes('"id"') ? 'ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh' : 'generated-1' }),
    );
    await expect(sandbox.receiveMessage({ from: '16315551000', text: 'Hello, I would like to order' })).resolves.toBe(
      'generated-1',
    );
    await expect(
      sandbox.receiveMessage({ from: '16315551000', text: 'Buy now', id: 'ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh' }),
    ).resolves.toBe('ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh');
    expect(sent).toEqual([
      request('POST', '/sandbox/inbound', '{"from":"16315551000","text":"Hello, I would like to order"}'),
      request(
        'POST',
        '/sandbox/inbound',
        '{"from":"16315551000","text":"Buy now","id":"ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh"}',
      ),
    ]);
  });

  it("sendMessage returns 'sent'", async () => {
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta, status: 'sent' }));
    await expect(sandbox.sendMessage('+1 631 555 1000')).resolves.toBe('sent');
    expect(sent).toEqual([request('POST', '/sandbox/outbound', '{"to":"+1 631 555 1000"}')]);
  });

  it.each([
    [
      1028,
      'A user_identity_changed system notification requires acknowledgement',
      'The identity of 16315551000 changed; acknowledge it with PUT /v1/contacts/16315551000/identity before sending.',
    ],
    [1013, 'User is not valid', '16315551000 is blocked by the business.'],
    [
      1009,
      'Parameter value is not valid',
      'Provided WhatsApp ID is not valid. Please provide a valid WhatsApp ID or a phone number with a country code',
    ],
  ] as const)('sendMessage throws WhatsAppApiError %i when the send is refused', async (code, title, details) => {
    const { sandbox } = sandboxAnswering(() => errorAnswer(400, code, title, details));
    const error = await sandbox.sendMessage('16315551000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({
      status: 400,
      code,
      title,
      details,
      errors: [{ code, title, details }],
      meta: { api_status: 'stable', version: 'v2.45.1' },
    });
  });

  it('advanceClock sends advance_ms and returns the new time', async () => {
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta, now: 1600218494001 }));
    await expect(sandbox.advanceClock(86_400_001)).resolves.toBe(1600218494001);
    expect(sent).toEqual([request('POST', '/sandbox/clock', '{"advance_ms":86400001}')]);
  });

  it('listReports returns the reports array', async () => {
    const reports = [
      {
        wa_id: '16315551000',
        reason: 'Sends spam',
        block: true,
        reported_at: 1600132094000,
        messages: [{ id: 'ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh', text: 'Buy now', received_at: 1600132000000 }],
      },
      { wa_id: '16315551001', reason: null, block: false, reported_at: 1600132095000, messages: [] },
    ];
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta, reports }));
    await expect(sandbox.listReports()).resolves.toEqual(reports);
    expect(sent).toEqual([request('GET', '/sandbox/reports')]);
  });

  it('percent-encodes the wa_id in the path', async () => {
    const { sandbox, sent } = sandboxAnswering(ok);
    await sandbox.deleteAccount('1631/555#1000');
    expect(sent[0]?.url).toBe('http://api.test/sandbox/accounts/1631%2F555%231000');
  });

  it.each(['', '.', '..'])('refuses the wa_id %j before sending anything', async (waId) => {
    const { sandbox, sent } = sandboxAnswering(ok);
    await expect(sandbox.registerAccount(waId)).rejects.toThrow('waId must be a non-empty value');
    await expect(sandbox.deleteAccount(waId)).rejects.toThrow(TypeError);
    await expect(sandbox.changeIdentity(waId)).rejects.toThrow(TypeError);
    expect(sent).toEqual([]);
  });

  it('throws WhatsAppApiError for other refusals (404 on an unknown account)', async () => {
    const { sandbox } = sandboxAnswering(() =>
      errorAnswer(
        404,
        1006,
        'Resource not found',
        '16315551000 has no WhatsApp account: register it with PUT /sandbox/accounts/16315551000.',
      ),
    );
    await expect(sandbox.receiveMessage({ from: '16315551000', text: 'hi' })).rejects.toMatchObject({
      status: 404,
      code: 1006,
    });
  });

  it('throws when a success lacks the body the spec promises', async () => {
    const { sandbox } = sandboxAnswering(ok);
    await expect(sandbox.advanceClock(1)).rejects.toMatchObject({
      status: 200,
      code: undefined,
      message: 'HTTP 200: the body lacks what the spec promises',
    });
  });

  it('exports the same WhatsAppApiError class as the main entry', () => {
    expect(WhatsAppApiError).toBe(MainWhatsAppApiError);
  });
});

describe('sandbox auth, on its own', () => {
  it('sends the headers and the token, and keeps client.api for { data, error, response }', async () => {
    const { fetch, sent } = fakeFetch(() =>
      errorAnswer(400, 1013, 'User is not valid', '16315551000 is blocked by the business.'),
    );
    const sandbox = createSandboxClient({ baseUrl, fetch, token: 'tok', headers: { 'X-Trace': 'abc' } });
    const { data, error, response } = await sandbox.api.POST('/sandbox/outbound', { body: { to: '16315551000' } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error?.errors[0]?.code).toBe(1013);
    expect(sent[0]?.headers).toEqual({
      authorization: 'Bearer tok',
      'content-type': 'application/json',
      'x-trace': 'abc',
    });
  });

  it('logs in lazily with credentials on /v1/users/login, then re-logs in once on 401', async () => {
    let valid = 'tok-1';
    const { fetch, sent } = fakeFetch((s) => {
      if (isLogin(s)) return loginAnswer(`tok-${sent.length}`);
      return s.headers.authorization === `Bearer ${valid}` ? json(200, { meta, now: 5 }) : accessDenied();
    });
    const sandbox = createSandboxClient({ baseUrl, fetch, credentials });

    await expect(sandbox.advanceClock(1)).resolves.toBe(5);
    valid = 'tok-4';
    await expect(sandbox.advanceClock(2)).resolves.toBe(5);

    const clockMove = (token: string, body: string) =>
      sentTo('POST', '/sandbox/clock', { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body);
    expect(sent).toEqual([
      sentTo('POST', '/v1/users/login', { authorization: basic('admin', 'Old-Passw0rd!') }),
      clockMove('tok-1', '{"advance_ms":1}'),
      clockMove('tok-1', '{"advance_ms":2}'),
      sentTo('POST', '/v1/users/login', { authorization: basic('admin', 'Old-Passw0rd!') }),
      clockMove('tok-4', '{"advance_ms":2}'),
    ]);
  });

  it('does not retry twice: the second 401 is thrown', async () => {
    const { fetch, sent } = fakeFetch((s) => (isLogin(s) ? loginAnswer('tok-new') : accessDenied()));
    const sandbox = createSandboxClient({ baseUrl, fetch, token: 'tok-old', credentials });
    await expect(sandbox.listReports()).rejects.toMatchObject({ status: 401, code: 1005 });
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      'GET /sandbox/reports',
      'POST /v1/users/login',
      'GET /sandbox/reports',
    ]);
  });

  it('with only a token, a 401 is final', async () => {
    const { sandbox, sent } = sandboxAnswering(() => accessDenied());
    await expect(sandbox.listReports()).rejects.toMatchObject({ status: 401, code: 1005 });
    expect(sent).toHaveLength(1);
  });

  it('login() logs in with the factory credentials, a newPassword once', async () => {
    const { fetch, sent } = fakeFetch(() => loginAnswer('tok-L'));
    const sandbox = createSandboxClient({
      baseUrl,
      fetch,
      credentials: { username: 'admin', password: 'secret', newPassword: 'N3w-Passw0rd!' },
    });
    await expect(sandbox.login()).resolves.toEqual({ token: 'tok-L', expires_after: '2018-03-01 15:29:26+00:00' });
    await sandbox.login();
    expect(sent).toEqual([
      sentTo(
        'POST',
        '/v1/users/login',
        { authorization: basic('admin', 'secret'), 'content-type': 'application/json' },
        '{"new_password":"N3w-Passw0rd!"}',
      ),
      sentTo('POST', '/v1/users/login', { authorization: basic('admin', 'N3w-Passw0rd!') }),
    ]);
  });
});

describe('createSandboxClient({ from }): one login for both clients', () => {
  /** A server whose only valid token is `valid`; every login issues tok-<n>. */
  function server() {
    let logins = 0;
    let valid: string | undefined;
    const { fetch, sent } = fakeFetch((s) => {
      if (isLogin(s)) {
        logins += 1;
        valid = `tok-${logins}`;
        return loginAnswer(valid);
      }
      if (s.headers.authorization !== `Bearer ${valid}`) return accessDenied();
      const { pathname } = new URL(s.url);
      if (pathname === '/sandbox/clock') return json(200, { meta, now: 42 });
      return json(200, { meta, settings: { application: { show_security_notifications: false } } });
    });
    return { fetch, sent, expire: () => (valid = undefined), logins: () => logins };
  }
  const lines = (sent: Sent[]) =>
    sent.map((s) => `${s.method} ${s.url} ${s.headers.authorization} ${s.headers['x-trace']}`);

  it('shares the base URL, fetch, headers and the lazy login', async () => {
    const { fetch, sent, logins } = server();
    const contacts = createContactsClient({ baseUrl, fetch, credentials, headers: { 'X-Trace': 'abc' } });
    const sandbox = createSandboxClient({ from: contacts });

    await sandbox.advanceClock(1);
    await contacts.getApplicationSettings();

    expect(logins()).toBe(1);
    expect(lines(sent)).toEqual([
      `POST http://api.test/v1/users/login ${basic('admin', 'Old-Passw0rd!')} abc`,
      'POST http://api.test/sandbox/clock Bearer tok-1 abc',
      'GET http://api.test/v1/settings/application Bearer tok-1 abc',
    ]);
  });

  it('a re-login made by one client serves the other', async () => {
    const { fetch, sent, expire } = server();
    const contacts = createContactsClient({ baseUrl, fetch, credentials });
    const sandbox = createSandboxClient({ from: contacts });
    await contacts.login();

    expire();
    await sandbox.advanceClock(1);
    await contacts.getApplicationSettings();

    expect(lines(sent)).toEqual([
      `POST http://api.test/v1/users/login ${basic('admin', 'Old-Passw0rd!')} undefined`,
      'POST http://api.test/sandbox/clock Bearer tok-1 undefined',
      `POST http://api.test/v1/users/login ${basic('admin', 'Old-Passw0rd!')} undefined`,
      'POST http://api.test/sandbox/clock Bearer tok-2 undefined',
      'GET http://api.test/v1/settings/application Bearer tok-2 undefined',
    ]);
  });

  it('concurrent 401s on both clients share one re-login', async () => {
    const { fetch, sent, expire, logins } = server();
    const contacts = createContactsClient({ baseUrl, fetch, token: 'tok-0', credentials });
    const sandbox = createSandboxClient({ from: contacts });
    expire();

    await Promise.all([sandbox.advanceClock(1), contacts.getApplicationSettings(), sandbox.advanceClock(2)]);

    expect(logins()).toBe(1);
    expect(sent.filter((s) => !isLogin(s)).map((s) => s.headers.authorization)).toEqual([
      'Bearer tok-0',
      'Bearer tok-0',
      'Bearer tok-0',
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
  });

  it('login() on the sandbox client logs the contacts client in too', async () => {
    const { fetch, sent } = server();
    const contacts = createContactsClient({ baseUrl, fetch, credentials });
    const sandbox = createSandboxClient({ from: contacts });
    await sandbox.login({ username: 'ops', password: 'Ops-Passw0rd!' });
    await contacts.getApplicationSettings();
    expect(lines(sent)).toEqual([
      `POST http://api.test/v1/users/login ${basic('ops', 'Ops-Passw0rd!')} undefined`,
      'GET http://api.test/v1/settings/application Bearer tok-1 undefined',
    ]);
  });

  it('can be made from another sandbox client', async () => {
    const { fetch, logins } = server();
    const first = createSandboxClient({ baseUrl, fetch, credentials });
    const second: SandboxClient = createSandboxClient({ from: first });
    await first.advanceClock(1);
    await second.advanceClock(1);
    expect(logins()).toBe(1);
  });

  it('refuses an object that no factory of this package made', () => {
    const contacts = createContactsClient({ baseUrl, token: 't' });
    expect(() => createSandboxClient({ from: { ...contacts } })).toThrow(TypeError);
    expect(() => createSandboxClient({ from: { ...contacts } })).toThrow(
      '`from` must be a client made by createContactsClient or createSandboxClient',
    );
  });
});
