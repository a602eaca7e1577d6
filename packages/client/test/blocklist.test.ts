import { describe, expect, it } from 'vitest';
import { createContactsClient } from '../src/index.js';
import { fakeFetch, json, meta } from './support/fake-fetch.js';

const blocked = (n: number) => ({ wa_id: `1631555${String(n).padStart(4, '0')}@s.whatsapp.net` });

/** A server holding `total` blocked contacts, answering pages as the spec says. */
function blocklistServer(total: number) {
  return fakeFetch((s) => {
    const query = new URL(s.url).searchParams;
    const limit = Number(query.get('limit') ?? 100);
    const offset = Number(query.get('offset') ?? 0);
    const contacts = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
      blocked(offset + i),
    );
    return json(200, { meta, contacts, pagination: { limit, offset, total } });
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('blocklist()', () => {
  it('walks every page, asking for the exact offsets', async () => {
    const { fetch, sent } = blocklistServer(5);
    const client = createContactsClient({ baseUrl: 'http://api.test', fetch, token: 't' });

    const contacts = await collect(client.blocklist({ pageSize: 2 }));

    expect(contacts).toEqual([blocked(0), blocked(1), blocked(2), blocked(3), blocked(4)]);
    expect(sent.map((s) => s.url)).toEqual([
      'http://api.test/v1/contacts/blocklist?limit=2&offset=0',
      'http://api.test/v1/contacts/blocklist?limit=2&offset=2',
      'http://api.test/v1/contacts/blocklist?limit=2&offset=4',
    ]);
  });

  it('asks for pages of 200 by default and stops at the total', async () => {
    const { fetch, sent } = blocklistServer(450);
    const contacts = await collect(createContactsClient({ baseUrl: 'http://api.test', fetch, token: 't' }).blocklist());
    expect(contacts).toHaveLength(450);
    expect(contacts[449]).toEqual(blocked(449));
    expect(sent.map((s) => new URL(s.url).search)).toEqual([
      '?limit=200&offset=0',
      '?limit=200&offset=200',
      '?limit=200&offset=400',
    ]);
  });

  it('stops at an empty page even if the total says more', async () => {
    const { fetch, sent } = fakeFetch((s) =>
      new URL(s.url).searchParams.get('offset') === '0'
        ? json(200, { meta, contacts: [blocked(0)], pagination: { limit: 2, offset: 0, total: 9 } })
        : json(200, { meta, contacts: [], pagination: { limit: 2, offset: 1, total: 9 } }),
    );
    const contacts = await collect(
      createContactsClient({ baseUrl: 'http://api.test', fetch, token: 't' }).blocklist({ pageSize: 2 }),
    );
    expect(contacts).toEqual([blocked(0)]);
    // The short first page moves the offset by what came (1), not by what was asked (2).
    expect(sent.map((s) => new URL(s.url).search)).toEqual(['?limit=2&offset=0', '?limit=2&offset=1']);
  });

  it('asks once for an empty blocklist', async () => {
    const { fetch, sent } = blocklistServer(0);
    await expect(
      collect(createContactsClient({ baseUrl: 'http://api.test', fetch, token: 't' }).blocklist()),
    ).resolves.toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('fetches lazily: breaking out early asks for no more pages', async () => {
    const { fetch, sent } = blocklistServer(5);
    for await (const contact of createContactsClient({ baseUrl: 'http://api.test', fetch, token: 't' }).blocklist({
      pageSize: 2,
    })) {
      expect(contact).toEqual(blocked(0));
      break;
    }
    expect(sent).toHaveLength(1);
  });

  it.each([0, 201, 1.5, Number.NaN])('refuses the page size %s', async (pageSize) => {
    const { fetch, sent } = blocklistServer(5);
    await expect(
      collect(createContactsClient({ baseUrl: 'http://api.test', fetch, token: 't' }).blocklist({ pageSize })),
    ).rejects.toThrow(RangeError);
    expect(sent).toHaveLength(0);
  });
});
