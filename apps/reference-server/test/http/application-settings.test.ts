import { dereferenced, type OpenAPIV3 } from '@wa-contacts/test-kit/contract';
import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

type Schema = OpenAPIV3.SchemaObject;
const schemas = dereferenced.contacts.components!.schemas as Record<string, Schema>;

/** The `default`s a schema and its properties give, nested as the settings are. */
function defaultsOf(schema: Schema): unknown {
  if (schema.default !== undefined) return schema.default;
  const properties = [schema, ...((schema.allOf ?? []) as Schema[])].flatMap((part) =>
    Object.entries((part.properties ?? {}) as Record<string, Schema>),
  );
  const found = properties.map(([name, property]) => [name, defaultsOf(property)] as const);
  const defaults = Object.fromEntries(found.filter(([, value]) => value !== undefined));
  return Object.keys(defaults).length > 0 ? defaults : undefined;
}

/** The spec's defaults; auto_download's "by default all six" is its enum (a `default` there would fill PATCHes). */
const DEFAULTS = {
  ...(defaultsOf(schemas.ApplicationSettings!) as Record<string, unknown> & { webhooks: object }),
  media: {
    auto_download: ((schemas.Media!.properties!.auto_download as OpenAPIV3.ArraySchemaObject).items as Schema).enum,
  },
  wa_id: '16315550100',
};

describe('/v1/settings/application in full', () => {
  const h = useServer();

  async function settings(): Promise<Record<string, unknown>> {
    const res = await h.api.call('getApplicationSettings');
    expect(res.status, res.text).toBe(200);
    return (res.body as { settings: { application: Record<string, unknown> } }).settings.application;
  }
  async function patch(body: Record<string, unknown>): Promise<void> {
    const res = await h.api.call('updateApplicationSettings', { body } as never);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ meta: { api_status: 'stable', version: 'v2.45.1' } });
  }
  async function reset(): Promise<void> {
    const res = await h.api.call('resetApplicationSettings');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ meta: { api_status: 'stable', version: 'v2.45.1' } });
  }

  it('answers every setting with its default at first, wa_id being the business number', async () => {
    expect(await settings()).toEqual(DEFAULTS);
  });

  it('changes only what a PATCH gives, nested fields included; DELETE resets every one', async () => {
    await patch({ webhooks: { url: 'https://example.com/hook' }, callback_backoff_delay_ms: 100 });
    await patch({ webhooks: { message: { read: true } }, garbagecollector_enable: { media: true } });
    await patch({ media: { auto_download: ['image'] }, heartbeat_interval: 7 });
    expect(await settings()).toEqual({
      ...DEFAULTS,
      webhooks: {
        url: 'https://example.com/hook',
        max_concurrent_requests: 6,
        message: { sent: true, delivered: true, read: true },
      },
      callback_backoff_delay_ms: 100,
      garbagecollector_enable: { media: true, messages: true },
      media: { auto_download: ['image'] },
      heartbeat_interval: 7,
    });
    await reset();
    expect(await settings()).toEqual(DEFAULTS);
  });

  it('takes Meta\'s Postman requests as sent: Update-Settings, then Delete-Webhooks (url "")', async () => {
    await patch({
      callback_backoff_delay_ms: 3000,
      max_callback_backoff_delay_ms: 900000,
      callback_persist: true,
      media: { auto_download: ['image', 'document', 'audio'] },
      webhooks: { url: 'https://example.com/hook', max_concurrent_requests: 12 },
      on_call_pager: '16315551234',
      pass_through: false,
      sent_status: false,
    });
    expect(await settings()).toEqual({
      ...DEFAULTS,
      media: { auto_download: ['image', 'document', 'audio'] },
      webhooks: { ...DEFAULTS.webhooks, url: 'https://example.com/hook', max_concurrent_requests: 12 },
      on_call_pager: '16315551234',
    });
    await patch({ webhooks: { url: '' } });
    expect(await settings()).toEqual({
      ...DEFAULTS,
      media: { auto_download: ['image', 'document', 'audio'] },
      webhooks: { ...DEFAULTS.webhooks, max_concurrent_requests: 12 },
      on_call_pager: '16315551234',
    });
    await reset();
  });

  it('takes http only to a loopback host', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost/x', 'http://[::1]:8080/', 'https://example.com/']) {
      await patch({ webhooks: { url } });
      expect(((await settings()).webhooks as { url: string }).url).toBe(url);
    }
    await reset();
  });

  it("agrees with the spec's WebhookUrl pattern: what it lets through is taken, IPv4 octets with leading zeros are not", async () => {
    const pattern = new RegExp((schemas.WebhookUrl as { pattern: string }).pattern);
    const urls = [
      'http://127.250.200.8',
      'http://127.250.200.08',
      'https://10.0.0.01/x',
      'https://10.0.0.1/x',
      'http://127.0.0.010',
    ];
    const verdicts = [];
    for (const url of urls) {
      const res = await h.api.call('updateApplicationSettings', { body: { webhooks: { url } } } as never);
      verdicts.push([url, pattern.test(url), res.status]);
    }
    await reset();
    expect(verdicts).toEqual(urls.map((url) => [url, !/\.0\d/.test(url), /\.0\d/.test(url) ? 400 : 200]));
  });

  it('refuses unknown and read-only fields, bad values and non-loopback http with 1009, changing nothing', async () => {
    await patch({ callback_backoff_delay_ms: 50 });
    const refused: Array<[Record<string, unknown>, RegExp]> = [
      [{ wa_id: '16315550100' }, /must NOT have additional properties/],
      [{ webhooks: { urls: 'https://example.com' } }, /must NOT have additional properties/],
      [{ webhooks: { max_concurrent_requests: 7 } }, /must be equal to one of the allowed values/],
      [{ webhooks: { max_concurrent_requests: '12' } }, /must be integer/],
      [{ callback_backoff_delay_ms: 0 }, /must be >= 1/],
      [{ media: { auto_download: ['pdf'] } }, /must be equal to one of the allowed values/],
      // The spec's pattern: https, or http to a loopback host.
      [{ webhooks: { url: 'http://example.com/hook' } }, /^body\/webhooks\/url must match pattern "\^\(https:\/\//],
      [{ webhooks: { url: 'ftp://127.0.0.1/' } }, /^body\/webhooks\/url must match pattern/],
      [{ webhooks: { url: 'not a url' } }, /^body\/webhooks\/url must match pattern/],
    ];
    for (const [body, details] of refused) {
      expectError(await h.api.call('updateApplicationSettings', { body } as never), 400, 1009, details);
    }
    expect(await settings()).toEqual({ ...DEFAULTS, callback_backoff_delay_ms: 50 });
    await reset();
  });
});
