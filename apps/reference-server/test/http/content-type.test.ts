import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

// Only JSON is parsed. A body of another type must never reach a handler unvalidated (a
// text/plain body once did, and crashed checkContacts with a 500), and an operation that
// takes no body must not refuse a request over a body it ignores.
describe('request content types', () => {
  const h = useServer();

  it.each([
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/vnd.api+json',
  ])('refuses a %s body on an operation that takes JSON with 400/1009', async (contentType) => {
    const res = await h.api.call('checkContacts', { rawBody: '{"contacts":["+16315551000"]}', contentType });
    expectError(res, 400, 1009, `Unsupported Content-Type ${contentType}: send application/json.`);
  });

  it('takes JSON with a charset parameter', async () => {
    const res = await h.api.call('checkContacts', {
      rawBody: '{"contacts":["+16315551000"],"blocking":"wait"}',
      contentType: 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contacts: [{ input: '+16315551000', status: 'valid', wa_id: '16315551000' }] });
  });

  it.each(['text/plain', 'application/octet-stream'])(
    'ignores a %s body on an operation that takes none',
    async (contentType) => {
      const res = await h.api.call('unblockContact', {
        params: { phone_number: '+16315551000' },
        rawBody: 'hello',
        contentType,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ meta: { api_status: 'stable', version: 'v2.45.1' } });
    },
  );

  it('answers an empty JSON body on an operation that takes none', async () => {
    const res = await h.api.call('unblockContact', { params: { phone_number: '+16315551000' }, rawBody: '' });
    expect(res.status).toBe(200);
  });
});
