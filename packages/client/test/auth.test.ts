import { describe, expect, it } from 'vitest';
import { createContactsClient, WhatsAppApiError } from '../src/index.js';
import {
  accessDenied,
  basic,
  errorAnswer,
  fakeFetch,
  isLogin,
  json,
  loginAnswer,
  meta,
  sentTo,
} from './support/fake-fetch.js';

const baseUrl = 'http://api.test';
const settingsAnswer = () => json(200, { meta, settings: { application: { show_security_notifications: true } } });
const credentials = { username: 'admin', password: 'Old-Passw0rd!' };

describe('bearer token', () => {
  it('sends the given token on every request, with the default headers', async () => {
    const { fetch, sent } = fakeFetch(() => settingsAnswer());
    const client = createContactsClient({ baseUrl, token: 'tok-1', fetch, headers: { 'X-Trace': 'abc' } });

    await client.getApplicationSettings();
    await client.getApplicationSettings();

    expect(sent).toEqual([
      sentTo('GET', '/v1/settings/application', { authorization: 'Bearer tok-1', 'x-trace': 'abc' }),
      sentTo('GET', '/v1/settings/application', { authorization: 'Bearer tok-1', 'x-trace': 'abc' }),
    ]);
  });

  it('sends no Authorization when there is neither token nor credentials', async () => {
    const { fetch, sent } = fakeFetch(() => settingsAnswer());
    await createContactsClient({ baseUrl, fetch }).getApplicationSettings();
    expect(sent[0]?.headers).toEqual({});
  });
});

describe('login', () => {
  it('logs in lazily, once, before the first request, with HTTP Basic and no body', async () => {
    const { fetch, sent } = fakeFetch((s) => (isLogin(s) ? loginAnswer('tok-L') : settingsAnswer()));
    const client = createContactsClient({ baseUrl, fetch, credentials, headers: { 'X-Trace': 'abc' } });
    expect(sent).toHaveLength(0);

    await client.getApplicationSettings();
    await client.getApplicationSettings();

    expect(sent).toEqual([
      sentTo('POST', '/v1/users/login', { authorization: 'Basic YWRtaW46T2xkLVBhc3N3MHJkIQ==', 'x-trace': 'abc' }),
      sentTo('GET', '/v1/settings/application', { authorization: 'Bearer tok-L', 'x-trace': 'abc' }),
      sentTo('GET', '/v1/settings/application', { authorization: 'Bearer tok-L', 'x-trace': 'abc' }),
    ]);
    expect(sent[0]?.headers.authorization).toBe(basic('admin', 'Old-Passw0rd!'));
  });

  it('encodes non-ASCII credentials as UTF-8 in the Basic header', async () => {
    const { fetch, sent } = fakeFetch(() => loginAnswer('t'));
    await createContactsClient({ baseUrl, fetch }).login({ username: 'zoë', password: 'Pässwörd-1€' });
    expect(sent[0]?.headers.authorization).toBe(basic('zoë', 'Pässwörd-1€'));
    expect(sent[0]?.headers.authorization).toBe('Basic em/DqzpQw6Rzc3fDtnJkLTHigqw=');
  });

  it('returns the token and its expiry', async () => {
    const { fetch } = fakeFetch(() => loginAnswer('tok-R'));
    const user = await createContactsClient({ baseUrl, fetch, credentials }).login();
    expect(user).toEqual({ token: 'tok-R', expires_after: '2018-03-01 15:29:26+00:00' });
  });

  it('rejects login() without any credentials, sending nothing', async () => {
    const { fetch, sent } = fakeFetch(() => loginAnswer('t'));
    await expect(createContactsClient({ baseUrl, fetch }).login()).rejects.toThrow('login() needs credentials');
    expect(sent).toHaveLength(0);
  });

  it('first login of the factory account: 1024 without newPassword, then the new password is the current one', async () => {
    // A tiny account server: the factory password must be changed at the first login.
    let password = 'secret';
    let mustChange = true;
    let validToken: string | undefined;
    const { fetch, sent } = fakeFetch((s) => {
      if (!isLogin(s)) return s.headers.authorization === `Bearer ${validToken}` ? settingsAnswer() : accessDenied();
      if (s.headers.authorization !== basic('admin', password)) return accessDenied();
      if (mustChange && !s.body) {
        return errorAnswer(
          400,
          1024,
          'Password Change Required',
          'Send new_password in the body to set a new password.',
        );
      }
      if (s.body) ({ new_password: password } = JSON.parse(s.body) as { new_password: string });
      mustChange = false;
      validToken = `tok-${sent.length}`;
      return loginAnswer(validToken);
    });

    const refused = await createContactsClient({
      baseUrl,
      fetch,
      credentials: { username: 'admin', password: 'secret' },
    })
      .getApplicationSettings()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WhatsAppApiError);
    expect(refused).toMatchObject({ status: 400, code: 1024, title: 'Password Change Required' });
    expect(sent).toHaveLength(1);

    const client = createContactsClient({
      baseUrl,
      fetch,
      credentials: { username: 'admin', password: 'secret', newPassword: 'N3w-Passw0rd!' },
    });
    await client.getApplicationSettings();
    expect(sent.slice(1)).toEqual([
      sentTo(
        'POST',
        '/v1/users/login',
        { authorization: basic('admin', 'secret'), 'content-type': 'application/json' },
        '{"new_password":"N3w-Passw0rd!"}',
      ),
      sentTo('GET', '/v1/settings/application', { authorization: 'Bearer tok-2' }),
    ]);

    // The token expires: the re-login uses the new password and does not try to change it again.
    validToken = undefined;
    await expect(client.getApplicationSettings()).resolves.toEqual({ show_security_notifications: true });
    expect(sent.slice(3)).toEqual([
      sentTo('GET', '/v1/settings/application', { authorization: 'Bearer tok-2' }),
      sentTo('POST', '/v1/users/login', { authorization: basic('admin', 'N3w-Passw0rd!') }),
      sentTo('GET', '/v1/settings/application', { authorization: 'Bearer tok-5' }),
    ]);
  });

  it('login(credentials) replaces the factory credentials for later re-logins', async () => {
    const { fetch, sent } = fakeFetch((s) =>
      isLogin(s)
        ? loginAnswer(`tok-${sent.length}`)
        : s.headers.authorization === 'Bearer tok-1'
          ? accessDenied()
          : settingsAnswer(),
    );
    const client = createContactsClient({ baseUrl, fetch, credentials });
    await client.login({ username: 'ops', password: 'Ops-Passw0rd!' });
    await client.getApplicationSettings();
    expect(sent.map((s) => s.headers.authorization)).toEqual([
      basic('ops', 'Ops-Passw0rd!'),
      'Bearer tok-1',
      basic('ops', 'Ops-Passw0rd!'),
      'Bearer tok-3',
    ]);
  });

  it('lets a failed lazy login reject the request, and tries again on the next one', async () => {
    let fail = true;
    const { fetch, sent } = fakeFetch((s) =>
      isLogin(s) ? (fail ? accessDenied() : loginAnswer('tok-ok')) : settingsAnswer(),
    );
    const client = createContactsClient({ baseUrl, fetch, credentials });

    await expect(client.getApplicationSettings()).rejects.toMatchObject({
      status: 401,
      code: 1005,
      title: 'Access denied',
    });
    expect(sent).toHaveLength(1);

    fail = false;
    await expect(client.getApplicationSettings()).resolves.toEqual({ show_security_notifications: true });
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname} ${s.headers.authorization}`)).toEqual([
      `POST /v1/users/login ${basic('admin', 'Old-Passw0rd!')}`,
      `POST /v1/users/login ${basic('admin', 'Old-Passw0rd!')}`,
      'GET /v1/settings/application Bearer tok-ok',
    ]);
  });

  it('concurrent requests share one login', async () => {
    let logins = 0;
    const { fetch, sent } = fakeFetch(async (s) => {
      if (!isLogin(s)) return settingsAnswer();
      logins += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return loginAnswer(`tok-${logins}`);
    });
    const client = createContactsClient({ baseUrl, fetch, credentials });

    await Promise.all([1, 2, 3, 4, 5].map(() => client.getApplicationSettings()));

    expect(logins).toBe(1);
    expect(sent.filter(isLogin)).toHaveLength(1);
    expect(sent.filter((s) => !isLogin(s)).map((s) => s.headers.authorization)).toEqual(Array(5).fill('Bearer tok-1'));
  });
});

describe('re-login on 401', () => {
  const checkBody = '{"contacts":["+1 631 555 1001"],"blocking":"wait"}';
  const checkAnswer = () =>
    json(200, { meta, contacts: [{ input: '+1 631 555 1001', status: 'valid', wa_id: '16315551001' }] });

  it('logs in again and re-sends the request once, body included', async () => {
    const { fetch, sent } = fakeFetch((s) => {
      if (isLogin(s)) return loginAnswer('tok-new');
      return s.headers.authorization === 'Bearer tok-new' ? checkAnswer() : accessDenied();
    });
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-old', credentials });

    const results = await client.checkContacts(['+1 631 555 1001'], { wait: true });

    expect(results).toEqual([{ input: '+1 631 555 1001', status: 'valid', wa_id: '16315551001' }]);
    expect(sent).toEqual([
      sentTo(
        'POST',
        '/v1/contacts',
        { authorization: 'Bearer tok-old', 'content-type': 'application/json' },
        checkBody,
      ),
      sentTo('POST', '/v1/users/login', { authorization: basic('admin', 'Old-Passw0rd!') }),
      sentTo(
        'POST',
        '/v1/contacts',
        { authorization: 'Bearer tok-new', 'content-type': 'application/json' },
        checkBody,
      ),
    ]);
  });

  it('does not retry a second time: the second 401 is thrown as is', async () => {
    const { fetch, sent } = fakeFetch((s) => (isLogin(s) ? loginAnswer('tok-new') : accessDenied()));
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-old', credentials });

    const error = await client.checkContacts(['+1 631 555 1001'], { wait: true }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ status: 401, code: 1005, title: 'Access denied', details: 'Invalid credentials.' });
    expect(sent.map((s) => `${new URL(s.url).pathname} ${s.headers.authorization}`)).toEqual([
      '/v1/contacts Bearer tok-old',
      `/v1/users/login ${basic('admin', 'Old-Passw0rd!')}`,
      '/v1/contacts Bearer tok-new',
    ]);
  });

  it('returns the second 401 as is through client.api', async () => {
    const { fetch, sent } = fakeFetch((s) => (isLogin(s) ? loginAnswer('tok-new') : accessDenied()));
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-old', credentials });

    const { data, error, response } = await client.api.GET('/v1/settings/application');

    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error).toEqual({ meta, errors: [{ code: 1005, title: 'Access denied', details: 'Invalid credentials.' }] });
    expect(sent).toHaveLength(3);
  });

  it('never retries the login itself', async () => {
    const { fetch, sent } = fakeFetch(() => accessDenied());
    const client = createContactsClient({ baseUrl, fetch, credentials });

    await expect(client.login()).rejects.toMatchObject({ status: 401, code: 1005 });
    expect(sent).toHaveLength(1);
  });

  it('with only a token, a 401 is thrown as is', async () => {
    const { fetch, sent } = fakeFetch(() => accessDenied());
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-old' });

    await expect(client.getApplicationSettings()).rejects.toMatchObject({ status: 401, code: 1005 });
    expect(sent).toHaveLength(1);
  });

  it('does not log in again for other errors', async () => {
    const { fetch, sent } = fakeFetch(() => errorAnswer(404, 1006, 'Resource not found', 'Unknown contact.'));
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-old', credentials });

    await expect(client.getIdentity('16315553601')).rejects.toMatchObject({ status: 404, code: 1006 });
    expect(sent).toHaveLength(1);
  });

  it('concurrent 401s share one re-login', async () => {
    const { fetch, sent } = fakeFetch(async (s) => {
      if (!isLogin(s)) return s.headers.authorization === 'Bearer tok-new' ? settingsAnswer() : accessDenied();
      await new Promise((resolve) => setTimeout(resolve, 20));
      return loginAnswer('tok-new');
    });
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-old', credentials });

    await Promise.all([1, 2, 3].map(() => client.getApplicationSettings()));

    expect(sent.filter(isLogin)).toHaveLength(1);
    expect(sent).toHaveLength(7);
  });
});

describe('logout', () => {
  const isLogout = (s: { url: string }) => new URL(s.url).pathname === '/v1/users/logout';

  it('revokes the current token with POST /v1/users/logout, then logs in again for the next request', async () => {
    const { fetch, sent } = fakeFetch((s) =>
      isLogin(s) ? loginAnswer(`tok-${sent.length}`) : isLogout(s) ? json(200, { meta }) : settingsAnswer(),
    );
    const client = createContactsClient({ baseUrl, fetch, credentials });
    await client.getApplicationSettings();
    await client.logout();
    await client.getApplicationSettings();
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname} ${s.headers.authorization} ${s.body}`)).toEqual([
      `POST /v1/users/login ${basic('admin', 'Old-Passw0rd!')} `,
      'GET /v1/settings/application Bearer tok-1 ',
      'POST /v1/users/logout Bearer tok-1 ',
      `POST /v1/users/login ${basic('admin', 'Old-Passw0rd!')} `,
      'GET /v1/settings/application Bearer tok-4 ',
    ]);
  });

  it('sends nothing without a token, and never logs in just to log out', async () => {
    const { fetch, sent } = fakeFetch(() => loginAnswer('t'));
    await createContactsClient({ baseUrl, fetch, credentials }).logout();
    await createContactsClient({ baseUrl, fetch }).logout();
    expect(sent).toHaveLength(0);
  });

  it('takes a 401 as done (no re-login, no re-send) and forgets the token', async () => {
    const { fetch, sent } = fakeFetch((s) => (isLogout(s) ? accessDenied() : settingsAnswer()));
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-old' });
    await expect(client.logout()).resolves.toBeUndefined();
    await client.getApplicationSettings();
    expect(sent.map((s) => `${new URL(s.url).pathname} ${s.headers.authorization ?? '-'}`)).toEqual([
      '/v1/users/logout Bearer tok-old',
      '/v1/settings/application -',
    ]);
  });

  it('throws WhatsAppApiError on another failure, and still forgets the token', async () => {
    const { fetch, sent } = fakeFetch((s) =>
      isLogout(s)
        ? errorAnswer(500, 1014, 'Internal error', 'Internal error. Please try again later.')
        : settingsAnswer(),
    );
    const client = createContactsClient({ baseUrl, fetch, token: 'tok-1' });
    await expect(client.logout()).rejects.toMatchObject({ status: 500, code: 1014 });
    await client.getApplicationSettings();
    expect(sent[1]?.headers.authorization).toBeUndefined();
  });
});
