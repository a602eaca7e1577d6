import { freshDatabase } from '@wa-contacts/test-kit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { TEST_PASSWORD, sandboxHelpers } from '../support/harness.js';
import { errorRecords, numbers, tally, useLiveServers, type LiveServer } from '../support/live-server.js';
import { databaseUrl, POSTGRES_SKIP_REASON } from '../support/storage-targets.js';

/**
 * Two `node dist/main.js` on ONE PostgreSQL database, several clients spread over both:
 * overlapping checks (wait, no_wait, force_check), blocks and unblocks, logins. No answer
 * may be a 5xx, and every write answered 200 must be there afterwards, through either one.
 */

const TIMEOUT = 180_000;
const CLIENTS = 8;
/** Every client stops at whichever comes first. */
const LOAD_MS = 4_000;
const MAX_OPS_PER_CLIENT = 400;
const CHECK_SIZE = 100;

const WAIT_NUMBERS = numbers(0, 300);
const NO_WAIT_NUMBERS = numbers(1000, 300);
/** Blocked once each, never unblocked. */
const BLOCK_ONLY = numbers(5000, 120);
/** Three per client, blocked and unblocked by their owner only: the last answer is the state. */
const TOGGLED = numbers(6000, CLIENTS * 3);

const start = useLiveServers();

interface Load {
  statuses: number[];
  blocked: Set<string>;
  /** Whole-list pages whose length was not their total. */
  inconsistentPages: number;
}

/** A window of `size` numbers that moves with n (so clients at the same step overlap), in either order. */
function window(list: readonly string[], n: number, size: number, reversed: boolean): string[] {
  const from = (n * 37) % (list.length - size);
  const slice = list.slice(from, from + size);
  return reversed ? slice.reverse() : slice;
}

async function client(
  id: number,
  servers: LiveServer[],
  load: Load,
  blockQueue: string[],
  deadline: number,
): Promise<void> {
  const owned = TOGGLED.slice(id * 3, id * 3 + 3);
  const record = (status: number) => load.statuses.push(status);
  for (let n = 0; n < MAX_OPS_PER_CLIENT && Date.now() < deadline; n++) {
    const api: ApiClient = servers[(id + n) % 2]!.api;
    const other: ApiClient = servers[(id + n + 1) % 2]!.api;
    switch (n % 6) {
      case 0: {
        const body = {
          blocking: 'wait',
          contacts: window(WAIT_NUMBERS, n, CHECK_SIZE, id % 2 === 1),
          force_check: n % 12 !== 6,
        };
        record((await api.call('checkContacts', { body })).status);
        break;
      }
      case 1: {
        const body = {
          blocking: 'no_wait',
          contacts: window(NO_WAIT_NUMBERS, n, CHECK_SIZE, id % 2 === 0),
          force_check: n % 4 === 1,
        };
        record((await api.call('checkContacts', { body })).status);
        break;
      }
      case 2: {
        const waId = blockQueue.shift();
        if (waId === undefined) break;
        const res = await api.call('blockContact', {
          params: { phone_number: waId },
          body: { reason: `client ${id}` },
        });
        record(res.status);
        if (res.status === 200) load.blocked.add(waId);
        break;
      }
      case 3: {
        const waId = owned[n % owned.length]!;
        const block = !load.blocked.has(waId);
        const res = block
          ? await api.call('blockContact', { params: { phone_number: waId }, body: {} })
          : await api.call('unblockContact', { params: { phone_number: waId } });
        record(res.status);
        if (res.status === 200) {
          if (block) load.blocked.add(waId);
          else load.blocked.delete(waId);
        }
        break;
      }
      case 4: {
        const res = await api.call('login', { basic: { username: 'admin', password: TEST_PASSWORD } });
        record(res.status);
        if (res.status !== 200) break;
        // A token one instance issued is good on the other.
        const token = (res.body as { users: Array<{ token: string }> }).users[0]!.token;
        record((await other.call('getBlocklist', { query: { limit: 1 }, token })).status);
        break;
      }
      default: {
        const res = await api.call('getBlocklist', { query: { limit: 200, offset: 0 } });
        record(res.status);
        if (res.status === 200) {
          const body = res.body as { contacts: unknown[]; pagination: { total: number } };
          if (body.contacts.length !== body.pagination.total) load.inconsistentPages++;
        }
      }
    }
  }
}

async function blocklist(api: ApiClient): Promise<string[]> {
  const res = await api.call('getBlocklist', { query: { limit: 200, offset: 0 } });
  expect(res.status, res.text).toBe(200);
  return (res.body as { contacts: Array<{ wa_id: string }> }).contacts
    .map((c) => c.wa_id.replace('@s.whatsapp.net', ''))
    .sort();
}

/** no_wait checks until nothing is `processing` (bounded: 50 tries); returns the last answer's statuses. */
async function settledStatuses(api: ApiClient, waIds: string[]): Promise<Record<string, number>> {
  let statuses: Record<string, number> = {};
  for (let i = 0; i < 50; i++) {
    const res = await api.call('checkContacts', { body: { blocking: 'no_wait', contacts: waIds } });
    expect(res.status, res.text).toBe(200);
    statuses = tally((res.body as { contacts: Array<{ status: string }> }).contacts.map((c) => c.status));
    if (statuses.processing === undefined) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return statuses;
}

const title = `two instances on one PostgreSQL database${databaseUrl ? '' : ` [skipped: ${POSTGRES_SKIP_REASON}]`}`;

describe.skipIf(!databaseUrl)(title, () => {
  it(
    `${CLIENTS} clients for ${LOAD_MS / 1000} s: no 5xx, every acknowledged write there afterwards`,
    async () => {
      const fresh = await freshDatabase(databaseUrl!, { prefix: 'wa_load_test' });
      const servers: LiveServer[] = [];
      try {
        // One after the other: the first brings the schema up, the second finds it done.
        for (let i = 0; i < 2; i++) servers.push(await start({ DATABASE_URL: fresh.url }));
        const [a, b] = servers as [LiveServer, LiveServer];
        const sandbox = sandboxHelpers(a.api);
        const engaged = [...BLOCK_ONLY, ...TOGGLED];
        for (let i = 0; i < engaged.length; i += 24)
          await Promise.all(engaged.slice(i, i + 24).map((w) => sandbox.inbound(w)));

        const load: Load = { statuses: [], blocked: new Set(), inconsistentPages: 0 };
        const blockQueue = [...BLOCK_ONLY];
        const began = Date.now();
        const deadline = began + LOAD_MS;
        await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id, servers, load, blockQueue, deadline)));
        const seconds = (Date.now() - began) / 1000;
        const retries = servers.map(
          (s) =>
            s.server
              .output()
              .split('\n')
              .filter((l) => l.includes('"msg":"PostgreSQL aborted a transaction')).length,
        );
        console.log(
          `[load] ${load.statuses.length} requests over 2 instances in ${seconds.toFixed(1)} s (${Math.round(load.statuses.length / seconds)} req/s), statuses ${JSON.stringify(tally(load.statuses))}, ${load.inconsistentPages} inconsistent pages, transaction retries ${retries.join('+')}`,
        );
        expect({ statuses: tally(load.statuses), inconsistentPages: load.inconsistentPages }).toEqual({
          statuses: { 200: load.statuses.length },
          inconsistentPages: 0,
        });

        // Every acknowledged block (and unblock) through either instance.
        const expected = [...load.blocked].sort();
        expect(await blocklist(a.api)).toEqual(expected);
        expect(await blocklist(b.api)).toEqual(expected);
        // Every number checked is answered from the cache (memory or table), through either instance.
        for (const { api } of servers) {
          expect(await settledStatuses(api, WAIT_NUMBERS)).toEqual({ valid: WAIT_NUMBERS.length });
          expect(await settledStatuses(api, NO_WAIT_NUMBERS)).toEqual({ valid: NO_WAIT_NUMBERS.length });
        }

        // Stopped (SIGTERM waits for background checks), the database holds exactly that.
        for (const s of servers) await s.server.stop();
        const db = new pg.Client({ connectionString: fresh.url });
        await db.connect();
        try {
          const rows = async (sql: string) => (await db.query(sql)).rows as unknown[];
          expect(await rows('SELECT wa_id FROM blocks ORDER BY wa_id')).toEqual(expected.map((wa_id) => ({ wa_id })));
          expect(await rows('SELECT count(*)::int AS n FROM pending_checks')).toEqual([{ n: 0 }]);
          expect(await rows(`SELECT status, count(*)::int AS n FROM contact_checks GROUP BY status`)).toEqual([
            { status: 'valid', n: WAIT_NUMBERS.length + NO_WAIT_NUMBERS.length },
          ]);
        } finally {
          await db.end();
        }
        for (const s of servers) expect(errorRecords(s.server).map((r) => r.msg)).toEqual([]);
      } finally {
        for (const s of servers) await s.server.stop();
        await fresh.drop();
      }
    },
    TIMEOUT,
  );
});
