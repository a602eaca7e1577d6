import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/storage/index.js';
import { createApiClient, fetchTransport, type ApiClient } from '../support/api-client.js';
import { TEST_PASSWORD, login } from '../support/harness.js';
import { ensureBuilt, useServerProcesses } from '../support/process-server.js';
import { eachStorage, pgliteDir, postgres, type StorageInstance } from '../support/storage-targets.js';

/**
 * The background checks' bound, on `node dist/main.js` over real HTTP: a burst of `no_wait`
 * checks beyond WA_CHECK_QUEUE_MAX is partly refused (429 / 1015, Retry-After) with nothing
 * stored, the rest is checked in the end, and reads go on during the burst.
 */

const QUEUE_MAX = 10_000;
const REQUESTS = 8;
const PER_REQUEST = 2_000;
const TIMEOUT = 240_000;

type Entry = { input: string; status: string; wa_id?: string };

/** 1631 2xxxxxx: valid US numbers, distinct per request. */
const burstNumbers = (request: number) =>
  Array.from({ length: PER_REQUEST }, (_, i) => `1631${2_000_000 + request * PER_REQUEST + i}`);
const CACHED = '16319000000';

async function statusesOf(api: ApiClient, contacts: string[]): Promise<string[]> {
  const res = await api.call('checkContacts', { body: { contacts, blocking: 'no_wait' } });
  expect(res.status, res.text).toBe(200);
  return (res.body as { contacts: Entry[] }).contacts.map((c) => c.status);
}

/** Final results of the storage, read once the server has stopped. */
async function stored(storage: StorageInstance): Promise<{ pending: number; checked: string[] }> {
  const db = await openDatabase({ dataDir: storage.env.WA_DATA_DIR, databaseUrl: storage.env.DATABASE_URL });
  try {
    const [row] = await db.query<{ pending: number }>('SELECT count(*)::int AS pending FROM pending_checks');
    const checked = await db.query<{ wa_id: string }>('SELECT wa_id FROM contact_checks ORDER BY wa_id');
    return { pending: row!.pending, checked: checked.map((r) => r.wa_id) };
  } finally {
    await db.close();
  }
}

// Compiling dist on a busy machine takes longer than a hook's default 10 s.
beforeAll(() => ensureBuilt(), TIMEOUT);

eachStorage([pgliteDir, postgres], (target) => {
  const start = useServerProcesses();

  it(
    `refuses no_wait checks beyond WA_CHECK_QUEUE_MAX with 429 / 1015 and Retry-After, stores none of them, and checks every admitted number`,
    async () => {
      const storage = await target.create();
      try {
        // A delay holds the worker, so the burst meets a full queue whatever the machine's pace.
        const env = {
          ...storage.env,
          WA_ADMIN_PASSWORD: TEST_PASSWORD,
          WA_CHECK_QUEUE_MAX: String(QUEUE_MAX),
          WA_CHECK_DELAY_MS: '5000',
        };
        const server = await start(env);
        const api = createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
        api.token = await login(api, 'admin', TEST_PASSWORD);
        const cached = await api.call('checkContacts', { body: { contacts: [CACHED], blocking: 'wait' } });
        expect(cached.status, cached.text).toBe(200);

        const burst = Array.from({ length: REQUESTS }, (_, r) =>
          api.call('checkContacts', { body: { contacts: burstNumbers(r), blocking: 'no_wait' } }),
        );
        // During the burst: a blocklist read and a cached check complete, with their exact answers.
        const blocklist = await api.call('getBlocklist', {});
        expect(blocklist.status, blocklist.text).toBe(200);
        expect((blocklist.body as { contacts: unknown[] }).contacts).toEqual([]);
        expect(await statusesOf(api, [CACHED])).toEqual(['valid']);

        const answers = await Promise.all(burst);
        const admitted: string[] = [];
        let refused = 0;
        answers.forEach((res, r) => {
          if (res.status === 200) {
            expect((res.body as { contacts: Entry[] }).contacts).toEqual(
              burstNumbers(r).map((n) => ({ input: n, status: 'processing', wa_id: n })),
            );
            admitted.push(...burstNumbers(r));
            return;
          }
          expect({ status: res.status, errors: (res.body as { errors: unknown }).errors }).toEqual({
            status: 429,
            errors: [
              {
                code: 1015,
                title: 'Too many requests',
                details: `Too many contact checks are waiting (at most ${QUEUE_MAX}). Please try again later.`,
              },
            ],
          });
          expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
          refused++;
        });
        expect(admitted.length).toBe(QUEUE_MAX);
        expect(refused).toBe(REQUESTS - QUEUE_MAX / PER_REQUEST);

        // Every admitted number turns valid (bounded: 300 polls, 500 ms apart). Polling with
        // no_wait while they wait in a full queue is no new work: never refused.
        let statuses: string[] = [];
        for (let poll = 0; poll < 300; poll++) {
          statuses = await statusesOf(api, admitted);
          if (statuses.every((s) => s === 'valid')) break;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        expect(statuses).toEqual(admitted.map(() => 'valid'));
        expect(server.output()).not.toMatch(/"level":50|Error/);
        expect(await server.stop()).toEqual({ code: 0, signal: null });

        expect(await stored(storage)).toEqual({ pending: 0, checked: [CACHED, ...admitted].sort() });
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
