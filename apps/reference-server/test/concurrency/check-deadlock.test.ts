import { expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';
import { errorRecords, expectAll200, numbers, useLiveServers } from '../support/live-server.js';

/**
 * Concurrent checks sharing numbers in opposite orders, over real HTTP against `node
 * dist/main.js`: on PostgreSQL rows written in request order deadlocked (500, 1014, or a
 * background check that failed and was only logged).
 */

const TIMEOUT = 180_000;
const ROUNDS = 5;
const start = useLiveServers();

type Blocking = 'wait' | 'no_wait';

/** Two calls with the numbers sorted and two reversed, at once; returns the statuses. */
async function round(api: ApiClient, waIds: string[], blocking: Blocking, forceCheck: boolean): Promise<number[]> {
  const reversed = [...waIds].reverse();
  const bodies = [waIds, reversed, waIds, reversed].map((contacts) => ({
    blocking,
    contacts,
    force_check: forceCheck,
  }));
  const responses = await Promise.all(bodies.map((body) => api.call('checkContacts', { body })));
  for (const [i, res] of responses.entries()) {
    if (res.status !== 200) continue;
    const contacts = (res.body as { contacts: Array<{ input: string; status: string; wa_id?: string }> }).contacts;
    // wait: every number checked; no_wait: left to the background unless a concurrent call finished it.
    const allowed = blocking === 'wait' ? ['valid'] : forceCheck ? ['processing'] : ['processing', 'valid'];
    expect(contacts.map((x) => x.input)).toEqual(bodies[i]!.contacts);
    for (const x of contacts)
      expect({ wa_id: x.wa_id, known: allowed.includes(x.status) }).toEqual({ wa_id: x.input, known: true });
  }
  return responses.map((r) => r.status);
}

/** Without force_check a round needs numbers never seen, or the server's cache answers alone. */
const CASES: Array<{ name: string; count: number; blocking: Blocking; forceCheck: boolean }> = [
  { name: 'the same 1,000 numbers, wait, force_check', count: 1000, blocking: 'wait', forceCheck: true },
  { name: '20 new numbers a round, wait', count: 20, blocking: 'wait', forceCheck: false },
  { name: 'the same 1,000 numbers, no_wait, force_check', count: 1000, blocking: 'no_wait', forceCheck: true },
  { name: '1,000 new numbers a round, no_wait', count: 1000, blocking: 'no_wait', forceCheck: false },
];

eachStorage([pgliteMemory, postgres], (target) => {
  for (const c of CASES) {
    it(
      `${c.name}: ${ROUNDS} rounds of 4 calls in opposite orders all answer 200, no background check fails`,
      async () => {
        const storage = await target.create();
        const { server, api } = await start(storage.env).catch(async (error: unknown) => {
          await storage.cleanup();
          throw error;
        });
        const statuses: number[] = [];
        try {
          for (let r = 0; r < ROUNDS; r++) {
            const waIds = numbers(c.forceCheck ? 0 : r * c.count, c.count);
            statuses.push(...(await round(api, waIds, c.blocking, c.forceCheck)));
          }
        } finally {
          // SIGTERM waits for the background checks: their failures are in the log by then.
          await server.stop();
          await storage.cleanup();
        }
        const retries = server
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"PostgreSQL aborted a transaction')).length;
        console.log(`[deadlock] ${target.name} / ${c.name}: ${statuses.length} calls, ${retries} transaction retries`);
        expectAll200(statuses, 'statuses of the checks');
        expect(errorRecords(server).map((r) => r.msg)).toEqual([]);
      },
      TIMEOUT,
    );
  }
});
