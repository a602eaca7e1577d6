import { expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { allBlocked, getBlocklist } from '../support/blocklist.js';
import { sandboxHelpers } from '../support/harness.js';
import { expectAll200, numbers, useLiveServers } from '../support/live-server.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

/**
 * The blocklist's counts (a bucket per 1,024 seq values, a part per 32 buckets, each counted in
 * a row per connection: migrations 006, 011, 015) under blocks and unblocks sent at once by many
 * clients, through two instances on PostgreSQL: afterwards the total and every page, read
 * through each instance, hold exactly the contacts left blocked, each once.
 */

const TIMEOUT = 180_000;
const CONTACTS = 300;
/** Block-unblock rounds per contact before its last block: 1,200 blocks and more, past one bucket. */
const ROUNDS = 4;
const CLIENTS = 8;
const PAGE = 37;

const start = useLiveServers();

eachStorage([pgliteMemory, postgres], (target) => {
  it(
    `${CLIENTS} clients blocking and unblocking ${CONTACTS} contacts at once leave a list whose total and pages agree`,
    async () => {
      const storage = await target.create();
      try {
        const servers: ApiClient[] = [(await start(storage.env)).api];
        if (target === postgres) servers.push((await start(storage.env)).api);
        const waIds = numbers(3000, CONTACTS);
        const sandbox = sandboxHelpers(servers[0]!);
        for (let i = 0; i < waIds.length; i += 20)
          await Promise.all(waIds.slice(i, i + 20).map((w) => sandbox.inbound(w)));

        // Every third contact ends unblocked; each client takes the next contact and sends its
        // requests through the instances in turn.
        const kept = waIds.filter((_, i) => i % 3 !== 0);
        const statuses: number[] = [];
        const queue = waIds.map((waId, i) => ({ waId, i }));
        const client = async (n: number) => {
          let turn = n;
          const send = async (op: 'blockContact' | 'unblockContact', waId: string) => {
            const api = servers[turn++ % servers.length]!;
            const body = op === 'blockContact' ? { body: {} } : {};
            statuses.push((await api.call(op, { params: { phone_number: waId }, ...body })).status);
          };
          for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
            for (let r = 0; r < ROUNDS; r++) {
              await send('blockContact', next.waId);
              await send('unblockContact', next.waId);
            }
            if (next.i % 3 !== 0) await send('blockContact', next.waId);
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
        expectAll200(statuses, 'statuses of the blocks and unblocks');
        expect(statuses.length).toBe(CONTACTS * ROUNDS * 2 + kept.length);

        for (const [n, api] of servers.entries()) {
          const { total } = (await getBlocklist({ api }, { limit: 1 })).pagination;
          expect(total, `total through instance ${n + 1}`).toBe(kept.length);
          const listed = await allBlocked({ api }, PAGE);
          expect(listed.length, `contacts listed through instance ${n + 1}`).toBe(kept.length);
          expect([...listed].sort(), `contacts listed through instance ${n + 1}`).toEqual([...kept].sort());
        }
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
