import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBlocklist } from '../support/blocklist.js';
import { expectError } from '../support/errors.js';
import { numberSequence, START_TIMEOUT, startServer, type Harness } from '../support/harness.js';

describe('GET /v1/contacts/blocklist', () => {
  let h: Harness;
  const next = numberSequence();
  const [n1, n2, n3] = [next(), next(), next()];
  /** The blocking order (neither the inbound order nor the numeric one), on a server where nothing else is blocked. */
  const blocked = [n3, n2, n1];

  beforeAll(async () => {
    h = await startServer();
    for (const waId of [n1, n2, n3]) await h.sandbox.inbound(waId);
    for (const waId of blocked) {
      const res = await h.api.call('blockContact', { params: { phone_number: waId } });
      expect(res.status, res.text).toBe(200);
    }
  }, START_TIMEOUT);
  afterAll(() => h?.close());

  it(
    'starts empty on a fresh server',
    async () => {
      const fresh = await startServer();
      try {
        expect(await getBlocklist(fresh)).toEqual({ waIds: [], pagination: { limit: 100, offset: 0, total: 0 } });
      } finally {
        await fresh.close();
      }
    },
    START_TIMEOUT,
  );

  it('lists every blocked contact in blocking order, with the defaults limit 100 and offset 0', async () => {
    const res = await h.api.call('getBlocklist');
    expect(res.body).toEqual({
      meta: expect.anything(),
      contacts: blocked.map((waId) => ({ wa_id: `${waId}@s.whatsapp.net` })),
      pagination: { limit: 100, offset: 0, total: 3 },
    });
  });

  it.each([
    [{ limit: 2 }, [0, 1], { limit: 2, offset: 0 }],
    [{ limit: 2, offset: 2 }, [2], { limit: 2, offset: 2 }],
    [{ offset: 1 }, [1, 2], { limit: 100, offset: 1 }],
    [{ limit: 1, offset: 1 }, [1], { limit: 1, offset: 1 }],
    [{ limit: 0 }, [], { limit: 0, offset: 0 }],
    [{ limit: 200 }, [0, 1, 2], { limit: 200, offset: 0 }],
    [{ offset: 3 }, [], { limit: 100, offset: 3 }],
    [{ offset: 1000, limit: 10 }, [], { limit: 10, offset: 1000 }],
  ])('pages with %j', async (query, indexes, page) => {
    expect(await getBlocklist(h, query)).toEqual({
      waIds: indexes.map((i) => blocked[i]),
      pagination: { ...page, total: 3 },
    });
  });

  it.each<Record<string, string | number>>([
    { limit: 201 },
    { limit: -1 },
    { offset: -1 },
    { limit: 'ten' },
    { offset: '1.5' },
    { limit: 2.5 },
  ])('refuses %j with 1009', async (query) => {
    expectError(await h.api.call('getBlocklist', { query }), 400, 1009);
  });

  it('keeps the order when one contact is unblocked, and counts it out of the total', async () => {
    const res = await h.api.call('unblockContact', { params: { phone_number: blocked[1]! } });
    expect(res.status).toBe(200);
    expect(await getBlocklist(h)).toEqual({
      waIds: [blocked[0], blocked[2]],
      pagination: { limit: 100, offset: 0, total: 2 },
    });
  });
});
