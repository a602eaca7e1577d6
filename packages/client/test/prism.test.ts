// Every helper against Prism's mock of the spec: the answers are the spec's examples, and
// Prism's request validation (the sl-violations header) says what the client sends fits it.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContactsClient,
  WhatsAppApiError,
  type ContactsClient,
  type ContactsClientOptions,
} from '../src/index.js';
import { startPrism, type RunningServer } from '@wa-contacts/test-kit';
import { findOperation, responseOf } from '@wa-contacts/test-kit/contract';

let prism: RunningServer;
beforeAll(async () => {
  prism = await startPrism({
    spec: createRequire(import.meta.url).resolve('@wa-contacts/spec/contacts.yaml'),
    timeoutMs: 45_000,
  });
});
afterAll(async () => {
  await prism?.stop();
});

interface Exchange {
  method: string;
  path: string;
  status: number;
  violations: string | null;
}

const exampleToken = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.c2FtcGxl.dG9rZW4';
const meta = { api_status: 'stable', version: 'v2.45.1' };

/** A client on Prism whose fetch records each exchange and asks for `prefer` (on the login too only if told). */
function prismClient(
  auth: Pick<ContactsClientOptions, 'token' | 'credentials'>,
  prefer?: string,
  { onLogin = false } = {},
) {
  const exchanges: Exchange[] = [];
  const client = createContactsClient({
    baseUrl: prism.url,
    ...auth,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      if (prefer && (onLogin || pathname !== '/v1/users/login')) request.headers.set('Prefer', prefer);
      const response = await fetch(request);
      exchanges.push({
        method: request.method,
        path: pathname,
        status: response.status,
        violations: response.headers.get('sl-violations'),
      });
      return response;
    },
  });
  return { client, exchanges };
}

const admin = { credentials: { username: 'admin', password: 'secret', newPassword: 'Str0ng-Passw0rd!' } };

describe('happy paths return the spec examples', () => {
  it('login returns the example token', async () => {
    const { client, exchanges } = prismClient(admin);
    await expect(client.login()).resolves.toEqual({ token: exampleToken, expires_after: '2018-03-01 15:29:26+00:00' });
    expect(exchanges).toEqual([{ method: 'POST', path: '/v1/users/login', status: 200, violations: null }]);
  });

  it('checkContacts logs in lazily and returns the 4 Meta entries', async () => {
    const { client, exchanges } = prismClient(admin);
    const results = await client.checkContacts(['16315551000', '+1 631 555 1001', '6315551002', '+163155588'], {
      wait: false,
      forceCheck: true,
    });
    expect(results).toEqual([
      { wa_id: '16315551000', input: '16315551000', status: 'valid' },
      { wa_id: '16315551001', input: '+1 631 555 1001', status: 'processing' },
      { input: '6315551002', status: 'invalid' },
      { input: '+163155588', status: 'failed' },
    ]);
    expect(exchanges).toEqual([
      { method: 'POST', path: '/v1/users/login', status: 200, violations: null },
      { method: 'POST', path: '/v1/contacts', status: 200, violations: null },
    ]);
  });

  it('getIdentity returns the example identity', async () => {
    const { client, exchanges } = prismClient(admin);
    await expect(client.getIdentity('16315553601')).resolves.toEqual({
      hash: 'UKD6Y/5SqDU=',
      created_timestamp: 1600132094000,
      acknowledged: true,
    });
    expect(exchanges.map((e) => e.violations)).toEqual([null, null]);
  });

  it.each([
    [
      'acknowledgeIdentity',
      (c: ContactsClient) => c.acknowledgeIdentity('16315553601', 'Rc/eg9RQ0JA='),
      'PUT',
      '/v1/contacts/16315553601/identity',
    ],
    [
      'blockContact',
      (c: ContactsClient) => c.blockContact('+1 (631) 555-1004', { reason: 'Sends spam' }),
      'POST',
      '/v1/contacts/%2B1%20(631)%20555-1004/block',
    ],
    [
      'unblockContact',
      (c: ContactsClient) => c.unblockContact('+1 (631) 555-1004'),
      'POST',
      '/v1/contacts/%2B1%20(631)%20555-1004/unblock',
    ],
    [
      'reportContact',
      (c: ContactsClient) =>
        c.reportContact('+16315551000', {
          reason: 'Sends spam',
          block: true,
          messageId: 'ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh',
        }),
      'POST',
      '/v1/contacts/%2B16315551000/report',
    ],
    [
      'updateApplicationSettings',
      (c: ContactsClient) => c.updateApplicationSettings({ show_security_notifications: true }),
      'PATCH',
      '/v1/settings/application',
    ],
  ])('%s succeeds with a request the spec accepts', async (_name, call, method, path) => {
    const { client, exchanges } = prismClient({ token: exampleToken });
    await expect(call(client)).resolves.toBeUndefined();
    expect(exchanges).toEqual([{ method, path, status: 200, violations: null }]);
  });

  it('getBlocklist returns the example page', async () => {
    const { client } = prismClient(admin);
    await expect(client.getBlocklist({ limit: 10, offset: 0 })).resolves.toEqual({
      contacts: [{ wa_id: '16315551000@s.whatsapp.net' }],
      pagination: { limit: 10, offset: 0, total: 1 },
    });
  });

  it('blocklist() yields the example contact and stops at the total', async () => {
    const { client, exchanges } = prismClient({ token: exampleToken });
    const all = [];
    for await (const contact of client.blocklist()) all.push(contact);
    expect(all).toEqual([{ wa_id: '16315551000@s.whatsapp.net' }]);
    expect(exchanges).toEqual([{ method: 'GET', path: '/v1/contacts/blocklist', status: 200, violations: null }]);
  });

  it('getApplicationSettings returns the example settings', async () => {
    const { client } = prismClient(admin);
    const { settings } = example('/v1/settings/application', 'get') as { settings: { application: unknown } };
    await expect(client.getApplicationSettings()).resolves.toEqual(settings.application);
  });

  it('client.api narrows to data on success', async () => {
    const { client } = prismClient({ token: exampleToken });
    const { data, error } = await client.api.GET('/v1/contacts/blocklist', { params: { query: { limit: 10 } } });
    expect(error).toBeUndefined();
    expect(data).toEqual({
      meta,
      contacts: [{ wa_id: '16315551000@s.whatsapp.net' }],
      pagination: { limit: 10, offset: 0, total: 1 },
    });
  });

  it('Prism flags a request that breaks the spec (so the checks above can fail)', async () => {
    const { client, exchanges } = prismClient({ token: exampleToken });
    await expect(client.acknowledgeIdentity('16315553601', 'not a hash')).rejects.toBeInstanceOf(WhatsAppApiError);
    expect(exchanges[0]?.violations).toContain('hash');
  });
});

/** The 200 example of an operation, read from the bundled spec document itself. */
function example(path: string, method: string): Record<string, unknown> {
  const op = findOperation(method, path);
  const body =
    op && (responseOf(op, 200)?.content?.['application/json']?.example as Record<string, unknown> | undefined);
  if (!body) throw new Error(`no 200 example for ${method} ${path}`);
  return body;
}

describe("what the helpers return is the spec document's example, unwrapped", () => {
  it('checkContacts', async () => {
    const { client } = prismClient({ token: exampleToken });
    const numbers = ['16315551000', '+1 631 555 1001', '6315551002', '+163155588'];
    await expect(client.checkContacts(numbers)).resolves.toEqual(example('/v1/contacts', 'post').contacts);
  });

  it('getIdentity', async () => {
    const { client } = prismClient({ token: exampleToken });
    await expect(client.getIdentity('16315553601')).resolves.toEqual(
      example('/v1/contacts/{wa_id}/identity', 'get').contacts,
    );
  });

  it('getBlocklist', async () => {
    const { client } = prismClient({ token: exampleToken });
    const { contacts, pagination } = example('/v1/contacts/blocklist', 'get');
    await expect(client.getBlocklist()).resolves.toEqual({ contacts, pagination });
  });

  it('getApplicationSettings', async () => {
    const { client } = prismClient({ token: exampleToken });
    const { settings } = example('/v1/settings/application', 'get') as { settings: { application: unknown } };
    await expect(client.getApplicationSettings()).resolves.toEqual(settings.application);
  });

  it('login', async () => {
    const { client } = prismClient(admin);
    const { users } = example('/v1/users/login', 'post') as { users: unknown[] };
    await expect(client.login()).resolves.toEqual(users[0]);
  });
});

async function failure(promise: Promise<unknown>): Promise<WhatsAppApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WhatsAppApiError);
  return error as WhatsAppApiError;
}

describe('error paths throw WhatsAppApiError with the spec example fields', () => {
  it('block: code=400, example=notEngaged gives 2048', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=400, example=notEngaged');
    const error = await failure(client.blockContact('+16315551000', { reason: 'Sends spam' }));
    expect(error.status).toBe(400);
    expect(error.code).toBe(2048);
    expect(error.title).toBe('Not engaged contact');
    expect(error.details).toBe("Invalid Request. This contact hasn't engaged with you in the last 24 hrs.");
    expect(error.href).toBeUndefined();
    expect(error.meta).toEqual(meta);
    expect(error.errors).toEqual([
      {
        code: 2048,
        title: 'Not engaged contact',
        details: "Invalid Request. This contact hasn't engaged with you in the last 24 hrs.",
      },
    ]);
    expect(error.response.status).toBe(400);
  });

  it('report: code=400, example=notEngaged gives 2048', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=400, example=notEngaged');
    await expect(failure(client.reportContact('+16315551000'))).resolves.toMatchObject({
      status: 400,
      code: 2048,
      title: 'Not engaged contact',
    });
  });

  it('unblock: code=400 gives 1009 with the published details', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=400');
    await expect(failure(client.unblockContact('+16315551000'))).resolves.toMatchObject({
      status: 400,
      code: 1009,
      title: 'Parameter value is not valid',
      details:
        'Provided WhatsApp ID is not valid. Please provide a valid WhatsApp ID or a phone number with a country code',
    });
  });

  it('acknowledgeIdentity: code=400, example=staleHash gives 1009', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=400, example=staleHash');
    await expect(failure(client.acknowledgeIdentity('16315553601', 'Rc/eg9RQ0JA='))).resolves.toMatchObject({
      status: 400,
      code: 1009,
      details: 'The hash is not the latest identity hash of this user.',
    });
  });

  it('checkContacts: code=400, example=missingContacts gives 1008', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=400, example=missingContacts');
    await expect(failure(client.checkContacts(['16315551000']))).resolves.toMatchObject({
      status: 400,
      code: 1008,
      title: 'Required parameter is missing',
      details: "body must have required property 'contacts'",
    });
  });

  it('checkContacts: code=413 gives 1009', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=413');
    await expect(failure(client.checkContacts(['16315551000']))).resolves.toMatchObject({
      status: 413,
      code: 1009,
      details: 'Request body is larger than 1048576 bytes.',
    });
  });

  it('checkContacts: code=400, example=invalidBlocking gives 1009', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=400, example=invalidBlocking');
    await expect(failure(client.checkContacts(['16315551000']))).resolves.toMatchObject({
      status: 400,
      code: 1009,
      title: 'Parameter value is not valid',
      details: 'body/blocking must be equal to one of the allowed values: no_wait, wait',
    });
  });

  it('getBlocklist: code=400 gives 1009 (limitOutOfRange)', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=400');
    await expect(failure(client.getBlocklist({ limit: 10 }))).resolves.toMatchObject({
      status: 400,
      code: 1009,
      details: 'querystring/limit must be <= 200',
    });
  });

  it('getIdentity: code=404 gives 1006', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=404');
    await expect(failure(client.getIdentity('16315553601'))).resolves.toMatchObject({
      status: 404,
      code: 1006,
      title: 'Resource not found',
      details: 'Unknown contact. It has no WhatsApp account.',
    });
  });

  it('updateApplicationSettings: code=500 gives 1014', async () => {
    const { client } = prismClient({ token: exampleToken }, 'code=500');
    await expect(
      failure(client.updateApplicationSettings({ show_security_notifications: false })),
    ).resolves.toMatchObject({
      status: 500,
      code: 1014,
      title: 'Internal error',
    });
  });

  it('login without newPassword: example=passwordChangeRequired gives 1024', async () => {
    const { client, exchanges } = prismClient(
      { credentials: { username: 'admin', password: 'secret' } },
      'code=400, example=passwordChangeRequired',
      { onLogin: true },
    );
    await expect(failure(client.login())).resolves.toMatchObject({
      status: 400,
      code: 1024,
      title: 'Password Change Required',
      details: 'This is the first login of this account. Send new_password in the body to set a new password.',
      errors: [
        {
          code: 1024,
          title: 'Password Change Required',
          details: 'This is the first login of this account. Send new_password in the body to set a new password.',
        },
      ],
    });
    expect(exchanges).toEqual([{ method: 'POST', path: '/v1/users/login', status: 400, violations: null }]);
  });

  it('login with a weak newPassword: example=weakPassword gives 1009', async () => {
    const { client } = prismClient(admin, 'code=400, example=weakPassword', { onLogin: true });
    await expect(failure(client.checkContacts(['16315551000']))).resolves.toMatchObject({
      status: 400,
      code: 1009,
      details: 'body/new_password must match the password policy',
    });
  });

  it('login: code=401 is not retried', async () => {
    const { client, exchanges } = prismClient(admin, 'code=401', { onLogin: true });
    await expect(failure(client.login())).resolves.toMatchObject({ status: 401, code: 1005 });
    expect(exchanges).toHaveLength(1);
  });

  it('code=401 with only a token: thrown at once', async () => {
    const { client, exchanges } = prismClient({ token: exampleToken }, 'code=401');
    await expect(failure(client.getApplicationSettings())).resolves.toMatchObject({
      status: 401,
      code: 1005,
      title: 'Access denied',
      details: 'Invalid credentials.',
    });
    expect(exchanges.map((e) => `${e.path} ${e.status}`)).toEqual(['/v1/settings/application 401']);
  });

  it('code=401 with credentials: one re-login, one retry, then thrown', async () => {
    const { client, exchanges } = prismClient({ token: 'expired', ...admin }, 'code=401');
    await expect(failure(client.checkContacts(['16315551000'], { wait: true }))).resolves.toMatchObject({
      status: 401,
      code: 1005,
    });
    expect(exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /v1/contacts 401',
      'POST /v1/users/login 200',
      'POST /v1/contacts 401',
    ]);
  });

  it('a missing token is refused by the spec: 401 from Prism itself', async () => {
    const { client, exchanges } = prismClient({});
    await expect(failure(client.getApplicationSettings())).resolves.toMatchObject({ status: 401, code: 1005 });
    expect(exchanges[0]?.violations).toContain('Invalid security scheme');
  });
});
