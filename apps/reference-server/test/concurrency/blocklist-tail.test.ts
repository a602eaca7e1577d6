import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { sandboxHelpers } from '../support/harness.js';
import { expectAll200, numbers, useLiveServers } from '../support/live-server.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

/**
 * A page that reaches the end of the blocklist is read from the end, chosen by the total the
 * process last saw (storage/repositories/blocks.ts). Readers follow the end of a list that other
 * clients grow (through the other instance on PostgreSQL, so the reader's server learns nothing
 * of the blocks): every page must hold the contacts at its offset, never the newest ones.
 */

const TIMEOUT = 180_000;
const CONTACTS = 600;
/** Blocked one at a time before the load, so the list starts in a known order. */
const BASE = 150;
const LIMIT = 100;
const BLOCKERS = 3;
const READERS = 2;
const MAX_READS = 300;
const MAX_READ_MS = 30_000;

const start = useLiveServers();

interface Page {
  offset: number;
  total: number;
  waIds: string[];
}

async function readPage(api: ApiClient, limit: number, offset: number): Promise<Page> {
  const res = await api.call('getBlocklist', { query: { limit, offset } });
  expect(res.status, res.text).toBe(200);
  const body = res.body as { contacts: Array<{ wa_id: string }>; pagination: { total: number } };
  return { offset, total: body.pagination.total, waIds: body.contacts.map((c) => c.wa_id) };
}

eachStorage([pgliteMemory, postgres], (target) => {
  it(
    `pages at the end of a list that ${BLOCKERS} clients grow hold the contacts at their offset`,
    async () => {
      const storage = await target.create();
      const servers: ApiClient[] = [];
      try {
        servers.push((await start(storage.env)).api);
        if (target === postgres) servers.push((await start(storage.env)).api);
        const [reading, blocking] = [servers[0]!, servers.at(-1)!];
        const waIds = numbers(2000, CONTACTS);
        const sandbox = sandboxHelpers(reading);
        for (let i = 0; i < waIds.length; i += 20)
          await Promise.all(waIds.slice(i, i + 20).map((w) => sandbox.inbound(w)));
        const block = async (waId: string) =>
          (await blocking.call('blockContact', { params: { phone_number: waId }, body: {} })).status;
        for (const waId of waIds.slice(0, BASE)) expect(await block(waId)).toBe(200);

        const queue = waIds.slice(BASE);
        const statuses: number[] = [];
        let growing = true;
        const blocker = async () => {
          for (let waId = queue.shift(); waId !== undefined; waId = queue.shift()) {
            statuses.push(await block(waId));
            await sleep(2);
          }
        };
        const pages: Page[] = [];
        const reader = async () => {
          const until = Date.now() + MAX_READ_MS;
          let total = BASE;
          for (let i = 0; i < MAX_READS && growing && Date.now() < until; i++) {
            // The last page by the total this client saw last: the list has grown since.
            const page = await readPage(reading, LIMIT, total - LIMIT);
            pages.push(page);
            total = page.total;
            await sleep(10);
          }
        };
        await Promise.all([
          Promise.all(Array.from({ length: BLOCKERS }, blocker)).finally(() => (growing = false)),
          ...Array.from({ length: READERS }, reader),
        ]);
        expectAll200(statuses, 'statuses of the blocks');

        const final: string[] = [];
        for (let offset = 0; offset < CONTACTS; offset += 200)
          final.push(...(await readPage(reading, 200, offset)).waIds);
        expect(final.length).toBe(CONTACTS);
        expect(new Set(final).size).toBe(CONTACTS);
        const position = new Map(final.map((w, i) => [w, i]));
        // A contact's place in a page is its place in the final list, or up to BLOCKERS earlier:
        // blocks still in flight when the page was read may come before it.
        const misplaced = pages.filter(
          (p) =>
            p.waIds.length !== Math.max(0, Math.min(LIMIT, p.total - p.offset)) ||
            p.waIds.some((w, i) => {
              const shift = position.get(w)! - (p.offset + i);
              return !(shift >= 0 && shift <= BLOCKERS);
            }),
        );
        const grown = pages.filter((p) => p.total > p.offset + LIMIT).length;
        console.log(
          `[blocklist tail] ${target.name}: ${pages.length} pages, ${grown} read after the list grew past them, ${misplaced.length} misplaced`,
        );
        expect(misplaced.map((p) => ({ offset: p.offset, total: p.total, first: p.waIds[0] }))).toEqual([]);
        expect(grown, 'pages read after the list grew past them').toBeGreaterThan(10);
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
