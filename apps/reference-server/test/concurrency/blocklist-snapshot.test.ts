import { expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { sandboxHelpers } from '../support/harness.js';
import { expectAll200, numbers, useLiveServers } from '../support/live-server.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

/**
 * A blocklist page and its `total` come from one snapshot: read while other requests block,
 * over real HTTP against `node dist/main.js`, every page holds exactly min(limit, total -
 * offset) contacts. On PostgreSQL, with page and count read by two statements, 7-10 % did not.
 */

const TIMEOUT = 180_000;
/** Under the page maximum (200), so offset 0 and limit 200 is always the whole list. */
const CONTACTS = 180;
const BLOCKERS = 6;
const READERS = 4;
/** Each reader stops at this many pages, or when the blocks are done, or after this long. */
const MAX_READS = 400;
const MAX_READ_MS = 30_000;

const start = useLiveServers();

interface Page {
  limit: number;
  offset: number;
  total: number;
  length: number;
}

async function readPage(api: ApiClient, limit: number, offset: number): Promise<Page> {
  const res = await api.call('getBlocklist', { query: { limit, offset } });
  expect(res.status, res.text).toBe(200);
  const body = res.body as { contacts: unknown[]; pagination: { total: number } };
  return { limit, offset, total: body.pagination.total, length: body.contacts.length };
}

eachStorage([pgliteMemory, postgres], (target) => {
  it(
    `${READERS} readers see pages consistent with their total while ${BLOCKERS} clients block ${CONTACTS} contacts`,
    async () => {
      const storage = await target.create();
      const { server, api } = await start(storage.env).catch(async (error: unknown) => {
        await storage.cleanup();
        throw error;
      });
      try {
        const waIds = numbers(0, CONTACTS);
        const sandbox = sandboxHelpers(api);
        for (let i = 0; i < waIds.length; i += 20)
          await Promise.all(waIds.slice(i, i + 20).map((w) => sandbox.inbound(w)));

        let blocking = true;
        const statuses: number[] = [];
        const queue = [...waIds];
        const blocker = async () => {
          for (let waId = queue.shift(); waId !== undefined; waId = queue.shift()) {
            statuses.push((await api.call('blockContact', { params: { phone_number: waId }, body: {} })).status);
          }
        };
        const pages: Page[] = [];
        const reader = async (n: number) => {
          const until = Date.now() + MAX_READ_MS;
          for (let i = 0; i < MAX_READS && blocking && Date.now() < until; i++) {
            // Mostly whole-list pages (the sharpest check), and some at other offsets and sizes.
            const whole = i % 3 !== 0;
            pages.push(
              await readPage(api, whole ? 200 : 1 + ((i * 37 + n) % 200), whole ? 0 : (i * 13 + n) % CONTACTS),
            );
          }
        };
        await Promise.all([
          Promise.all(Array.from({ length: BLOCKERS }, blocker)).finally(() => (blocking = false)),
          ...Array.from({ length: READERS }, (_, n) => reader(n)),
        ]);

        expectAll200(statuses, 'statuses of the blocks');
        const wrong = pages.filter((p) => p.length !== Math.max(0, Math.min(p.limit, p.total - p.offset)));
        console.log(
          `[blocklist] ${target.name}: ${pages.length} pages read during ${statuses.length} blocks, ${wrong.length} inconsistent`,
        );
        expect(wrong).toEqual([]);
        expect(
          pages.filter((p) => p.offset === 0 && p.total > 0 && p.total < CONTACTS).length,
          'pages read mid-way',
        ).toBeGreaterThan(0);
        expect(await readPage(api, 200, 0)).toEqual({ limit: 200, offset: 0, total: CONTACTS, length: CONTACTS });
      } finally {
        await server.stop();
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
