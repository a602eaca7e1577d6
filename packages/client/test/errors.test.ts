import { describe, expect, it } from 'vitest';
import { createContactsClient, WhatsAppApiError } from '../src/index.js';
import { fakeFetch, json, meta } from './support/fake-fetch.js';

const baseUrl = 'http://api.test';
const notEngaged = {
  code: 2048,
  title: 'Not engaged contact',
  details: "Invalid Request. This contact hasn't engaged with you in the last 24 hrs.",
  href: 'https://developers.facebook.com/docs/whatsapp/on-premises/errors',
};
const invalid = {
  code: 1009,
  title: 'Parameter value is not valid',
  details: 'body/reason must NOT have more than 59 characters',
};

describe('WhatsAppApiError', () => {
  it('carries the fields of the errors envelope', async () => {
    const { fetch } = fakeFetch(() => json(400, { meta, errors: [notEngaged, invalid] }));
    const client = createContactsClient({ baseUrl, fetch, token: 't' });

    const error = await client.blockContact('+16315551000').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toBeInstanceOf(Error);
    const e = error as WhatsAppApiError;
    expect(e.name).toBe('WhatsAppApiError');
    expect(e.message).toBe(
      "Not engaged contact (2048): Invalid Request. This contact hasn't engaged with you in the last 24 hrs.",
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe(2048);
    expect(e.title).toBe('Not engaged contact');
    expect(e.details).toBe("Invalid Request. This contact hasn't engaged with you in the last 24 hrs.");
    expect(e.href).toBe('https://developers.facebook.com/docs/whatsapp/on-premises/errors');
    expect(e.errors).toEqual([notEngaged, invalid]);
    expect(e.meta).toEqual({ api_status: 'stable', version: 'v2.45.1' });
    expect(e.response.status).toBe(400);
  });

  it('leaves href undefined when the server gives none', async () => {
    const { fetch } = fakeFetch(() => json(400, { meta, errors: [invalid] }));
    const error = await createContactsClient({ baseUrl, fetch, token: 't' })
      .blockContact('+16315551000', { reason: 'x'.repeat(60) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      code: 1009,
      title: 'Parameter value is not valid',
      href: undefined,
      errors: [invalid],
    });
  });

  it('still throws WhatsAppApiError for a body that is not the envelope, with status and no code', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const { fetch } = fakeFetch(
      () => new Response(html, { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } }),
    );

    const error = await createContactsClient({ baseUrl, fetch, token: 't' })
      .checkContacts(['1'])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WhatsAppApiError);
    const e = error as WhatsAppApiError;
    expect(e.message).toBe('HTTP 502 Bad Gateway: the body is not a WhatsApp errors envelope');
    expect(e.status).toBe(502);
    expect(e.code).toBeUndefined();
    expect(e.title).toBeUndefined();
    expect(e.details).toBeUndefined();
    expect(e.errors).toEqual([]);
    expect(e.meta).toBeUndefined();
    expect(e.body).toBe(html);
  });

  it('treats JSON without a usable errors array as not an envelope', async () => {
    const { fetch } = fakeFetch(() => json(500, { errors: [] }));
    const error = await createContactsClient({ baseUrl, fetch, token: 't' })
      .getApplicationSettings()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, code: undefined, errors: [], body: { errors: [] } });
    expect((error as Error).message).toBe('HTTP 500: the body is not a WhatsApp errors envelope');
  });

  it('throws for an error status with an empty body', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 503, headers: { 'Content-Length': '0' } }));
    const error = await createContactsClient({ baseUrl, fetch, token: 't' })
      .unblockContact('16315551000')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ status: 503, code: undefined, body: undefined });
  });

  it('throws when a success lacks the body the spec promises', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 200 }));
    const error = await createContactsClient({ baseUrl, fetch, token: 't' })
      .getIdentity('16315553601')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({
      status: 200,
      code: undefined,
      message: 'HTTP 200: the body lacks what the spec promises',
    });
  });

  it('accepts an empty success body where nothing is returned', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 200 }));
    await expect(
      createContactsClient({ baseUrl, fetch, token: 't' }).acknowledgeIdentity('16315553601', 'Rc/eg9RQ0JA='),
    ).resolves.toBeUndefined();
  });

  it('lets network failures through untouched', async () => {
    const failure = new TypeError('fetch failed');
    const client = createContactsClient({ baseUrl, token: 't', fetch: () => Promise.reject(failure) });
    await expect(client.getApplicationSettings()).rejects.toBe(failure);
    await expect(client.api.GET('/v1/settings/application')).rejects.toBe(failure);
  });

  it('does not throw through client.api: the error is in { error, response }', async () => {
    const { fetch } = fakeFetch(() => json(400, { meta, errors: [notEngaged] }));
    const { data, error, response } = await createContactsClient({ baseUrl, fetch, token: 't' }).api.POST(
      '/v1/contacts/{phone_number}/block',
      { params: { path: { phone_number: '+16315551000' } }, body: {} },
    );
    expect(data).toBeUndefined();
    expect(error).toEqual({ meta, errors: [notEngaged] });
    expect(response.status).toBe(400);
  });
});
