import { describe, expect, it } from 'vitest';
import { BUFFERED_BODY } from '../../src/http/serialization.js';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

/** 16315550000 + i: all valid US numbers. */
const numbers = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `1631${String(5_500_000 + from + i).padStart(7, '0')}`);

describe('POST /v1/contacts: request validation', () => {
  const h = useServer();

  it('takes 10,000 numbers (maxItems) and answers each, in order', async () => {
    const contacts = numbers(10_000);
    const res = await h.api.call('checkContacts', { body: { contacts, blocking: 'wait' } });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const answered = (res.body as { contacts: Array<{ input: string; status: string; wa_id?: string }> }).contacts;
    expect(answered).toHaveLength(10_000);
    expect(answered.every((c, i) => c.input === contacts[i] && c.wa_id === contacts[i] && c.status === 'valid')).toBe(
      true,
    );
  }, 60_000);

  it('answers a large check of multi-byte inputs character for character, its content-length in bytes', async () => {
    // From BUFFERED_BODY characters the body goes out as a Buffer: its length is in bytes, not characters.
    const contacts = Array.from({ length: 2_000 }, (_, i) => `☎ ${i} – «Zoë»`);
    const res = await h.api.call('checkContacts', { body: { contacts, blocking: 'wait' } });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.text.length).toBeGreaterThan(BUFFERED_BODY);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    const answered = (res.body as { contacts: Array<{ input: string; status: string }> }).contacts;
    expect(answered.map((c) => c.input)).toEqual(contacts);
    expect(new Set(answered.map((c) => c.status))).toEqual(new Set(['failed']));
  });

  it('refuses 10,001 numbers with 1009', async () => {
    expectError(await h.api.call('checkContacts', { body: { contacts: numbers(10_001) } }), 400, 1009);
  });

  it('refuses an empty list with 1009 (minItems)', async () => {
    expectError(await h.api.call('checkContacts', { body: { contacts: [] } }), 400, 1009);
  });

  it('refuses a body without contacts with 1008', async () => {
    expectError(await h.api.call('checkContacts', { body: {} }), 400, 1008, /contacts/);
    expectError(
      await h.api.call('checkContacts', { body: { blocking: 'wait', force_check: true } }),
      400,
      1008,
      /contacts/,
    );
  });

  it.each([
    ['contacts is a string', { contacts: 'x' }],
    ['force_check is a string', { contacts: ['16315551000'], force_check: 'true' }],
    ['blocking is not in the enum', { contacts: ['16315551000'], blocking: 'later' }],
    ['a contact is a number', { contacts: [16315551000] }],
    ['a contact is empty', { contacts: [''] }],
    ['a contact is longer than 64 characters', { contacts: ['1'.repeat(65)] }],
    ['a contact is null', { contacts: [null] }],
    ['an unknown field', { contacts: ['16315551000'], unknown: true }],
    ['the body is an array', ['16315551000']],
    ['the body is a string', 'contacts'],
  ])('refuses a body where %s with 1009', async (_, body) => {
    expectError(await h.api.call('checkContacts', { body }), 400, 1009);
  });

  it('refuses a body of 2 MB with 413/1009', async () => {
    const rawBody = JSON.stringify({ contacts: ['16315551000'], padding: 'x'.repeat(2 * 1024 * 1024) });
    expectError(await h.api.call('checkContacts', { rawBody }), 413, 1009);
  });

  it('refuses malformed JSON with 400/1009', async () => {
    expectError(await h.api.call('checkContacts', { rawBody: '{"contacts": ["16315551000"' }), 400, 1009);
    expectError(await h.api.call('checkContacts', { rawBody: "{'contacts': []}" }), 400, 1009);
  });

  it('refuses an empty body with 400/1008, with or without a JSON Content-Type', async () => {
    expectError(await h.api.call('checkContacts', { rawBody: '' }), 400, 1008);
    expectError(await h.api.call('checkContacts', { rawBody: '  \n' }), 400, 1008);
    expectError(await h.api.call('checkContacts'), 400, 1008);
  });

  it('refuses a body that is not JSON by its Content-Type with 1009, even when it looks like JSON', async () => {
    expectError(
      await h.api.call('checkContacts', {
        rawBody: 'contacts=16315551000',
        contentType: 'application/x-www-form-urlencoded',
      }),
      400,
      1009,
    );
    expectError(
      await h.api.call('checkContacts', { rawBody: '{"contacts": ["16315551000"]}', contentType: 'text/plain' }),
      400,
      1009,
    );
  });

  it('reads a JSON body whose Content-Type carries a charset', async () => {
    const res = await h.api.call('checkContacts', {
      rawBody: '{"contacts": ["+1 631 555 0000"], "blocking": "wait"}',
      contentType: 'application/json; charset=utf-8',
    });
    expect(res.status, res.text).toBe(200);
    expect((res.body as { contacts: unknown[] }).contacts).toEqual([
      { input: '+1 631 555 0000', status: 'valid', wa_id: '16315550000' },
    ]);
  });

  it('refuses JSON that would poison prototypes with 1009', async () => {
    expectError(
      await h.api.call('checkContacts', { rawBody: '{"contacts": ["16315551000"], "__proto__": {"x": 1}}' }),
      400,
      1009,
    );
  });
});
