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

/**
 * Every blocked wa_id, in blocklist order, read in pages of `pageSize` (each found through the
 * counts); every page's total the same as the first's.
 */
export async function allBlocked(h: Pick<Harness, 'api'>, pageSize = 200): Promise<string[]> {
  const waIds: string[] = [];
  let total: number | undefined;
  for (let offset = 0; ; offset += pageSize) {
    const page = await getBlocklist(h, { limit: pageSize, offset });
    if (total !== undefined) expect(page.pagination.total, `total at offset ${offset}`).toBe(total);
    total = page.pagination.total;
    waIds.push(...page.waIds);
    if (offset + pageSize >= total) return waIds;
  }
}
