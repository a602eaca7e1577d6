import { describe, expect, it } from 'vitest';
import { createContactsClient } from '../src/index.js';
import { fakeFetch, json, meta, type Sent } from './support/fake-fetch.js';

const baseUrl = 'http://api.test/';
const ok = () => json(200, { meta });

function clientAnswering(answer: () => Response) {
  const { fetch, sent } = fakeFetch(answer);
  return { client: createContactsClient({ baseUrl, fetch, token: 'tok' }), sent };
}

const request = (method: string, path: string, body = ''): Sent => ({
  method,
  url: `http://api.test${path}`,
  headers: body ? { authorization: 'Bearer tok', 'content-type': 'application/json' } : { authorization: 'Bearer tok' },
  body,
});

describe('checkContacts', () => {
  const results = [
    { wa_id: '16315551000', input: '16315551000', status: 'valid' },
    { input: '6315551002', status: 'invalid' },
  ];

  it.each([
    [{}, '{"contacts":["16315551000","6315551002"]}'],
    [{ wait: true }, '{"contacts":["16315551000","6315551002"],"blocking":"wait"}'],
    [{ wait: false }, '{"contacts":["16315551000","6315551002"],"blocking":"no_wait"}'],
    [{ forceCheck: true }, '{"contacts":["16315551000","6315551002"],"force_check":true}'],
    [
      { forceCheck: false, wait: true },
      '{"contacts":["16315551000","6315551002"],"blocking":"wait","force_check":false}',
    ],
    [{ wait: undefined, forceCheck: undefined }, '{"contacts":["16315551000","6315551002"]}'],
  ])('maps %j to the body %s and returns the contacts array', async (options, body) => {
    const { client, sent } = clientAnswering(() => json(200, { meta, contacts: results }));
    await expect(client.checkContacts(['16315551000', '6315551002'], options)).resolves.toEqual(results);
    expect(sent).toEqual([request('POST', '/v1/contacts', body)]);
  });
});

describe('identity', () => {
  it('getIdentity returns the identity object', async () => {
    const identity = { hash: 'UKD6Y/5SqDU=', created_timestamp: 1600132094000, acknowledged: false };
    const { client, sent } = clientAnswering(() => json(200, { meta, contacts: identity }));
    await expect(client.getIdentity('16315553601')).resolves.toEqual(identity);
    expect(sent).toEqual([request('GET', '/v1/contacts/16315553601/identity')]);
  });

  it('acknowledgeIdentity sends the hash', async () => {
    const { client, sent } = clientAnswering(ok);
    await expect(client.acknowledgeIdentity('16315553601', 'Rc/eg9RQ0JA=')).resolves.toBeUndefined();
    expect(sent).toEqual([request('PUT', '/v1/contacts/16315553601/identity', '{"hash":"Rc/eg9RQ0JA="}')]);
  });
});

describe('blocking', () => {
  it.each([
    ['+16315551000', '%2B16315551000'],
    ['+1 (631) 555-1004', '%2B1%20(631)%20555-1004'],
    ['1-631-555-1005', '1-631-555-1005'],
    ['+1 631/555#1001?', '%2B1%20631%2F555%231001%3F'],
  ])('percent-encodes the phone number %j in the path as %s', async (typed, encoded) => {
    const { client, sent } = clientAnswering(ok);
    await client.unblockContact(typed);
    expect(sent).toEqual([request('POST', `/v1/contacts/${encoded}/unblock`)]);
  });

  it('blockContact sends the reason only when given', async () => {
    const { client, sent } = clientAnswering(ok);
    await client.blockContact('+1 (631) 555-1004', { reason: 'Sends spam' });
    await client.blockContact('+1 (631) 555-1004');
    expect(sent).toEqual([
      request('POST', '/v1/contacts/%2B1%20(631)%20555-1004/block', '{"reason":"Sends spam"}'),
      request('POST', '/v1/contacts/%2B1%20(631)%20555-1004/block', '{}'),
    ]);
  });

  it('reportContact maps camelCase options and omits unset ones', async () => {
    const { client, sent } = clientAnswering(ok);
    await client.reportContact('+16315551000', {
      reason: 'Sends spam',
      block: true,
      messageId: 'ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh',
    });
    await client.reportContact('+16315551000', { block: false });
    await client.reportContact('+16315551000');
    expect(sent).toEqual([
      request(
        'POST',
        '/v1/contacts/%2B16315551000/report',
        '{"reason":"Sends spam","block":true,"message_id":"ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh"}',
      ),
      request('POST', '/v1/contacts/%2B16315551000/report', '{"block":false}'),
      request('POST', '/v1/contacts/%2B16315551000/report', '{}'),
    ]);
  });

  it.each(['', '.', '..'])('refuses the path value %j before sending anything', async (value) => {
    const { client, sent } = clientAnswering(ok);
    await expect(client.blockContact(value)).rejects.toThrow(TypeError);
    await expect(client.getIdentity(value)).rejects.toThrow('waId must be a non-empty value');
    expect(sent).toEqual([]);
  });

  it('getBlocklist passes limit and offset and returns contacts and pagination', async () => {
    const page = {
      contacts: [{ wa_id: '16315551000@s.whatsapp.net' }],
      pagination: { limit: 10, offset: 20, total: 21 },
    };
    const { client, sent } = clientAnswering(() => json(200, { meta, ...page }));
    await expect(client.getBlocklist({ limit: 10, offset: 20 })).resolves.toEqual(page);
    await client.getBlocklist();
    expect(sent).toEqual([
      request('GET', '/v1/contacts/blocklist?limit=10&offset=20'),
      request('GET', '/v1/contacts/blocklist'),
    ]);
  });
});

describe('application settings', () => {
  it('getApplicationSettings returns the application object', async () => {
    const { client, sent } = clientAnswering(() =>
      json(200, { meta, settings: { application: { show_security_notifications: true } } }),
    );
    await expect(client.getApplicationSettings()).resolves.toEqual({ show_security_notifications: true });
    expect(sent).toEqual([request('GET', '/v1/settings/application')]);
  });

  it('updateApplicationSettings sends the patch', async () => {
    const { client, sent } = clientAnswering(ok);
    await expect(client.updateApplicationSettings({ show_security_notifications: false })).resolves.toBeUndefined();
    expect(sent).toEqual([request('PATCH', '/v1/settings/application', '{"show_security_notifications":false}')]);
  });
});
