import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/storage/index.js';
import { createApiClient, fetchTransport } from '../support/api-client.js';
import { TEST_PASSWORD, login } from '../support/harness.js';
import { ensureBuilt, logRecord, useServerProcesses } from '../support/process-server.js';
import { eachStorage, pgliteDir, postgres, type StorageInstance } from '../support/storage-targets.js';

/**
 * A restart with a backlog of pending checks: `node dist/main.js` listens first and works the
 * backlog in the background, page by page, until none is left.
 */

const BACKLOG = 50_000;
const TIMEOUT = 240_000;
/** 1631 2xxxxxx: valid US numbers; requested_at in the order of the numbers. */
const waIdOf = (i: number) => `1631${2_000_000 + i}`;

type Entry = { input: string; status: string; wa_id?: string };

function openStorage(storage: StorageInstance) {
  return openDatabase({ dataDir: storage.env.WA_DATA_DIR, databaseUrl: storage.env.DATABASE_URL });
}

// Compiling dist on a busy machine takes longer than a hook's default 10 s.
beforeAll(() => ensureBuilt(), TIMEOUT);

eachStorage([pgliteDir, postgres], (target) => {
  const start = useServerProcesses();

  it(
    `listens before working a backlog of ${BACKLOG} pending checks, then works all of it`,
    async () => {
      const storage = await target.create();
      try {
        const seed = await openStorage(storage);
        await seed.query(
          `INSERT INTO pending_checks (wa_id, requested_at)
         SELECT '1631' || (2000000 + g)::text, 1000 + g FROM generate_series(0, $1::int - 1) AS g`,
          [BACKLOG],
        );
        await seed.close();

        const env = { ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD, LOG_LEVEL: 'info' };
        const server = await start(env);
        const api = createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
        api.token = await login(api, 'admin', TEST_PASSWORD);
        // Answered while the backlog is worked oldest first: its newest number is still pending.
        const last = waIdOf(BACKLOG - 1);
        const blocklist = await api.call('getBlocklist', {});
        expect(blocklist.status, blocklist.text).toBe(200);
        expect((blocklist.body as { contacts: unknown[] }).contacts).toEqual([]);
        const early = await api.call('checkContacts', { body: { contacts: [last], blocking: 'no_wait' } });
        expect(early.status, early.text).toBe(200);
        expect((early.body as { contacts: Entry[] }).contacts).toEqual([
          { input: last, status: 'processing', wa_id: last },
        ]);

        // The whole backlog fed to the queue (bounded: 360 polls, 500 ms apart).
        for (let poll = 0; poll < 360 && !logRecord(server, 'pending contact checks resumed'); poll++)
          await new Promise((resolve) => setTimeout(resolve, 500));
        // The number checked above may have been worked before the last page was read.
        expect([BACKLOG - 1, BACKLOG]).toContain(logRecord(server, 'pending contact checks resumed')?.count);
        const first = waIdOf(0);
        const cached = await api.call('checkContacts', { body: { contacts: [first], blocking: 'no_wait' } });
        expect((cached.body as { contacts: Entry[] }).contacts).toEqual([
          { input: first, status: 'valid', wa_id: first },
        ]);
        // Shutdown drains the queue.
        expect(await server.stop()).toEqual({ code: 0, signal: null });

        const db = await openStorage(storage);
        try {
          expect(await db.query('SELECT count(*)::int AS n FROM pending_checks')).toEqual([{ n: 0 }]);
          expect(await db.query(`SELECT status, count(*)::int AS n FROM contact_checks GROUP BY status`)).toEqual([
            { status: 'valid', n: BACKLOG },
          ]);
        } finally {
          await db.close();
        }
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
