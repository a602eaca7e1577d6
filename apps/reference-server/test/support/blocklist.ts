import { expect } from 'vitest';
import type { Harness } from './harness.js';

export interface BlocklistPage {
  waIds: string[];
  pagination: { limit: number; offset: number; total: number };
}

const SUFFIX = '@s.whatsapp.net';

/** GET /v1/contacts/blocklist (asserting 200), with the `@s.whatsapp.net` suffix checked and stripped. */
export async function getBlocklist(
  h: Pick<Harness, 'api'>,
  query?: Record<string, string | number>,
): Promise<BlocklistPage> {
  const res = await h.api.call('getBlocklist', query ? { query } : {});
  expect(res.status, res.text).toBe(200);
  const body = res.body as { contacts: Array<{ wa_id: string }>; pagination: BlocklistPage['pagination'] };
  for (const c of body.contacts) expect(c.wa_id).toMatch(/^[1-9][0-9]{6,14}@s\.whatsapp\.net$/);
  return { waIds: body.contacts.map((c) => c.wa_id.slice(0, -SUFFIX.length)), pagination: body.pagination };
}

/** Every blocked wa_id, in blocklist order. */
export async function allBlocked(h: Harness): Promise<string[]> {
  const waIds: string[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await getBlocklist(h, { limit: 200, offset });
    waIds.push(...page.waIds);
    if (offset + 200 >= page.pagination.total) return waIds;
  }
}
