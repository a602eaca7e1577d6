import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addMisuseCounts,
  addPendingChecks,
  deleteAccount,
  getContactChecks,
  listPendingChecks,
  sumMisuseCounts,
} from '../../src/storage/index.js';
import { LookUpBatches } from '../../src/domain/look-up-batches.js';
import { DAY_MS, startServer, START_TIMEOUT, type Harness } from '../support/harness.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

const FORCE = { wait: true, forceCheck: true };
const NO_WAIT = { wait: false, forceCheck: false };
const waId = (i: number) => String(16_315_550_000 + i);
const input = (i: number) => `+${waId(i)}`;
const today = (h: Harness) => Math.floor(h.now() / DAY_MS);

/** Every db.query of the server from now on; `hold` keeps the statements it matches from starting until released. */
function recordStatements(h: Harness, hold?: RegExp) {
  const statements: string[] = [];
  const held: Array<() => void> = [];
  const query = h.server.db.query.bind(h.server.db);
  const transaction = vi.spyOn(h.server.db, 'transaction');
  vi.spyOn(h.server.db, 'query').mockImplementation(async (sql, params) => {
    statements.push(sql);
    if (hold?.test(sql)) await new Promise<void>((release) => held.push(release));
    return query(sql, params);
  });
  const release = () => {
    for (const r of held.splice(0)) r();
  };
  return { statements, transaction, release };
}

const SUM_READ = /SUM\(checked\)/;
const LOOK_UP = /^WITH asked/;
const INSERT_PENDING = /^\s*INSERT INTO pending_checks/;

eachStorage([pgliteMemory, postgres], (target) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (): Promise<Harness> => {
    const storage = await target.create();
    const h = await startServer({ storage, env: { WA_MISUSE_POLICY: 'warn' } });
    cleanups.push(storage.cleanup, () => h.close());
    return h;
  };

  describe('a force_check asks the database', () => {
    it(
      'once to store its results, settle their pending checks and count them, without a transaction',
      async () => {
        const h = await start();
        const { db } = h.server;
        await addPendingChecks(db, [waId(0), waId(1), waId(50)], h.now());
        await deleteAccount(db, waId(2), h.now());
        // Messages sent outnumber the checks: the rule has nothing to evaluate (no transaction of its own).
        await addMisuseCounts(db, today(h), { sent: 1_000 }, 0);
        const at = h.now();
        const { statements, transaction } = recordStatements(h);

        const inputs = Array.from({ length: 100 }, (_, i) => input(i));
        const answer = await h.server.checks.check(inputs, FORCE);
        expect(answer.map((r) => ('wa_id' in r ? r.wa_id : r.status))).toEqual(inputs.map((_, i) => waId(i)));
        // The results, the pending checks and the misuse count: one statement, then the window read.
        expect(transaction).not.toHaveBeenCalled();
        const writing = (table: string) =>
          statements.filter((sql) => new RegExp(`(INSERT INTO|UPDATE|DELETE FROM) ${table}\\b`).test(sql));
        const [lookUp] = writing('contact_checks');
        expect(lookUp).toMatch(LOOK_UP);
        for (const table of ['contact_checks', 'pending_checks', 'misuse_counts'])
          expect(writing(table)).toEqual([lookUp]);
        expect(statements.filter((sql) => /(FROM|JOIN) accounts\b/.test(sql))).toEqual([lookUp]);
        expect(statements.filter((sql) => sql.includes('misuse_counts'))).toEqual([
          lookUp,
          expect.stringMatching(SUM_READ),
        ]);
        vi.restoreAllMocks();

        const stored = await getContactChecks(
          db,
          inputs.map((_, i) => waId(i)),
        );
        expect(stored).toHaveLength(100);
        expect(stored.every((c) => c.checkedAt >= at)).toBe(true);
        expect(stored.filter((c) => c.status === 'invalid').map((c) => c.waId)).toEqual([waId(2)]);
        expect(await db.query('SELECT wa_id FROM pending_checks')).toEqual([]);
        expect(await sumMisuseCounts(db, today(h), today(h))).toEqual({ checked: 100, sent: 1_000 });
      },
      START_TIMEOUT,
    );

    it(
      'to read the misuse window once for the counts committed while a read was in flight',
      async () => {
        const h = await start();
        const { statements, release } = recordStatements(h, SUM_READ);
        const reads = () => statements.filter((sql) => SUM_READ.test(sql)).length;
        const asked = vi.spyOn(LookUpBatches.prototype, 'lookUp');
        /** Resolves once the look-ups of `count` checks are committed. */
        const committed = async (count: number) => {
          await vi.waitFor(() => expect(asked).toHaveBeenCalledTimes(count));
          await Promise.all(asked.mock.results.map((r) => r.value));
        };
        const first = h.server.checks.check([input(1)], FORCE);
        await vi.waitFor(() => expect(reads()).toBe(1));
        // Three commits, each its own batch (asked once the one before has committed).
        const next: Array<ReturnType<typeof h.server.checks.check>> = [];
        for (const i of [2, 3, 4]) {
          next.push(h.server.checks.check([input(i)], FORCE));
          await committed(i);
        }
        // Committed after the read in flight began: they wait for one read after it, not one each.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(reads()).toBe(1);
        release();
        await vi.waitFor(() => expect(reads()).toBe(2));
        const later = h.server.checks.check([input(5)], FORCE);
        await committed(5);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(reads()).toBe(2);
        release();
        await vi.waitFor(() => expect(reads()).toBe(3));
        release();
        for (const [i, answer] of (await Promise.all([first, ...next, later])).entries())
          expect(answer).toEqual([{ input: input(i + 1), status: 'valid', wa_id: waId(i + 1) }]);
        expect(reads()).toBe(3);
      },
      START_TIMEOUT,
    );

    it(
      'for checks of the same numbers asked while one is stored: one statement for them all, each counted',
      async () => {
        const h = await start();
        const { db } = h.server;
        const { statements, release } = recordStatements(h, LOOK_UP);
        const lookUps = () => statements.filter((sql) => LOOK_UP.test(sql)).length;
        const asked = vi.spyOn(LookUpBatches.prototype, 'lookUp');
        const inputs = Array.from({ length: 100 }, (_, i) => input(i));
        const check = () => h.server.checks.check(inputs, FORCE);
        const first = check();
        await vi.waitFor(() => expect(lookUps()).toBe(1));
        const others = Array.from({ length: 9 }, check);
        await vi.waitFor(() => expect(asked).toHaveBeenCalledTimes(10));
        release();
        await vi.waitFor(() => expect(lookUps()).toBe(2));
        release();
        for (const answer of await Promise.all([first, ...others]))
          expect(answer.map((r) => ('wa_id' in r ? r.wa_id : r.status))).toEqual(inputs.map((_, i) => waId(i)));
        expect(lookUps()).toBe(2);
        expect(await sumMisuseCounts(db, today(h), today(h))).toEqual({ checked: 1_000, sent: 0 });
        expect(await db.query('SELECT count(*)::int AS n FROM contact_checks')).toEqual([{ n: 100 }]);
      },
      START_TIMEOUT,
    );
  });

  describe('a no_wait check', () => {
    /**
     * Two no_wait checks of one number race: the first stores its pending row only after the
     * second's background check has settled (deleted) the number's rows, while that check's chunk
     * is still being worked. The first's row must be checked too, not left for the next start.
     */
    it('whose row is stored after the running look-up of its number has it settled before the server is idle', async () => {
      const h = await start();
      const { db, checks } = h.server;
      const x = input(1);
      const query = db.query.bind(db);
      let releaseFirst: (() => void) | undefined;
      const firstHeld = new Promise<void>((release) => (releaseFirst = release));
      let inserts = 0;
      let first: Promise<unknown> | undefined;
      vi.spyOn(db, 'query').mockImplementation(async (sql, params) => {
        if (INSERT_PENDING.test(sql) && inserts++ === 0) await firstHeld;
        const result = await query(sql, params);
        // The look-up has settled the second's row: the first stores its row and queues the number now.
        if (LOOK_UP.test(sql) && releaseFirst) {
          releaseFirst();
          releaseFirst = undefined;
          await first;
        }
        return result;
      });

      first = Promise.resolve(checks.check([x], NO_WAIT));
      const second = await checks.check([x], NO_WAIT);
      expect(second).toEqual([{ input: x, status: 'processing', wa_id: waId(1) }]);
      expect(await first).toEqual(second);
      await checks.idle();
      expect(inserts).toBe(2);
      expect(await listPendingChecks(db)).toEqual([]);
      expect(await checks.check([x], NO_WAIT)).toEqual([{ input: x, status: 'valid', wa_id: waId(1) }]);
    });
  });
});
