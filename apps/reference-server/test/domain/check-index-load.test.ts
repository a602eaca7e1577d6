import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INDEX_PAGE_SIZE } from '../../src/domain/contacts.js';
import { PhoneNormalizer } from '../../src/domain/phone.js';
import { seedBulk, seededWaId } from '../../src/storage/index.js';
import { explainPlan, scannedRows } from '../storage/helpers/explain.js';
import { DAY_MS, startServer, START_TIMEOUT, type Harness } from '../support/harness.js';
import { eachStorage, storageTargets, type StorageInstance } from '../support/storage-targets.js';

const WAIT = { wait: true, forceCheck: false };
const COUNT = 2_000;
/** Row i's input as seedBulk keeps it: format i % 4 of Meta's examples. */
function seededInput(i: number): string {
  const w = seededWaId('1631', i);
  const [area, exchange, line] = [w.slice(1, 4), w.slice(4, 7), w.slice(7)];
  return [`+1 ${area} ${exchange} ${line}`, w, `+1 (${area}) ${exchange}-${line}`, `${area}-${exchange}-${line}`][
    i % 4
  ]!;
}
const INPUTS = Array.from({ length: COUNT }, (_, i) => seededInput(i));
const EXPECTED = INPUTS.map((input, i) => ({ input, status: 'valid', wa_id: seededWaId('1631', i) }));

eachStorage(
  storageTargets.filter((t) => t.persistent),
  (target) => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    const start = async (
      storage: StorageInstance,
      env: Record<string, string> = {},
      indexLoading: 'wait' | 'no-wait' = 'wait',
    ): Promise<Harness> => {
      const h = await startServer({ storage, env, indexLoading });
      cleanups.push(() => h.close());
      return h;
    };
    /** A database with `count` cached numbers and their inputs, seeded by a server that is then stopped. */
    async function seeded(extra?: (h: Harness) => Promise<void>, count = COUNT): Promise<StorageInstance> {
      const storage = await target.create();
      cleanups.push(storage.cleanup);
      const h = await startServer({ storage });
      await seedBulk(h.server.db, {
        now: h.now(),
        contactChecks: { prefix: '1631', count, inputsContext: new PhoneNormalizer(h.config.business).context },
      });
      await extra?.(h);
      await h.close();
      return storage;
    }

    /** seeded(), numbers 0 to 3 cached invalid: the network now says valid. */
    const seededFirstInvalid = () =>
      seeded(async (h) => {
        await h.server.db.query(`UPDATE contact_checks SET status = 'invalid' WHERE wa_id = ANY($1::text[])`, [
          [0, 1, 2, 3].map((i) => seededWaId('1631', i)),
        ]);
      });

    describe('the in-process index, loaded at start-up', () => {
      // Another session holds check_inputs: the load waits for it, the server must not.
      if (target.kind === 'postgres')
        it(
          'is loaded while the server already answers: started with the load held up, it fills once let go',
          async () => {
            const storage = await seeded();
            const other = new pg.Client({ connectionString: storage.env.DATABASE_URL });
            await other.connect();
            let ended = false;
            const release = async () => {
              if (!ended) await other.end();
              ended = true;
            };
            cleanups.push(release);
            await other.query('BEGIN');
            await other.query('LOCK TABLE check_inputs IN ACCESS EXCLUSIVE MODE');
            const h = await start(storage, {}, 'no-wait');
            // Cleanups run last first: should the test fail while the lock is held, the server's close does not wait on it.
            cleanups.push(release);
            // Started, logged in (start() did), answering: a failed input needs no table.
            expect(h.server.checks.check(['not a number'], WAIT)).toEqual([
              { input: 'not a number', status: 'failed' },
            ]);
            expect((await h.api.call('health')).status).toBe(200);
            expect(h.server.checks.holding.inputs).toBe(0);
            await other.query('COMMIT');
            await h.server.indexLoaded;
            expect(h.server.checks.holding.inputs).toBe(COUNT);
            expect(h.server.checks.check(INPUTS.slice(0, 1_000), WAIT)).toEqual(EXPECTED.slice(0, 1_000));
          },
          START_TIMEOUT * 3,
        );

      it(
        'answer as the tables do while loading, and a result committed meanwhile is not undone by an older one the load read',
        async () => {
          const h = await start(await seededFirstInvalid(), { WA_API_VERSION: 'v2.41.2' });
          const forcedInputs = INPUTS.slice(0, 4);
          // A load again from scratch, its read of the results held back after it ran.
          h.server.checks.forgetCached();
          let resultsRead!: () => void;
          const readHeld = new Promise<void>((resolve) => {
            resultsRead = resolve;
          });
          let letGo!: () => void;
          const held = new Promise<void>((resolve) => {
            letGo = resolve;
          });
          const query = h.server.db.query.bind(h.server.db);
          const spy = vi.spyOn(h.server.db, 'query').mockImplementation(async (sql, params) => {
            const rows = await query(sql, params);
            if (sql.includes('ctid >=')) {
              resultsRead();
              await held;
            }
            return rows;
          });
          const load = h.server.checks.loadIndex();
          await readHeld;
          // Every input held, no result yet: the tables answer.
          expect(h.server.checks.holding.inputs).toBe(COUNT);
          const during = h.server.checks.check(INPUTS.slice(4, 1_000), WAIT);
          expect(during).toBeInstanceOf(Promise);
          expect(await during).toEqual(EXPECTED.slice(4, 1_000));
          const forced = await h.server.checks.check(forcedInputs, { wait: true, forceCheck: true });
          expect(forced).toEqual(EXPECTED.slice(0, 4));
          letGo();
          expect((await load).inputs).toBe(COUNT);
          spy.mockRestore();
          // The load read them invalid before the force_check committed valid: valid it stays.
          expect(await h.server.checks.check(forcedInputs, WAIT)).toEqual(forced);
          expect(h.server.checks.check(INPUTS.slice(4, 1_000), WAIT)).toEqual(EXPECTED.slice(4, 1_000));
        },
        START_TIMEOUT * 3,
      );

      it(
        'answer a check of every cached number from memory (no promise), as the tables do',
        async () => {
          const storage = await seeded();
          const h = await start(storage);
          const answer = h.server.checks.check(INPUTS.slice(0, 1_000), WAIT);
          expect(answer).toEqual(EXPECTED.slice(0, 1_000));
          // Sized once from the count of stored inputs: 2,667 slots of 12 bytes.
          expect(h.server.checks.holding).toEqual({ inputs: COUNT, bytes: 32_004 });
          // Past 1,000 numbers a check goes in slices, always a promise: the same answer.
          expect(await h.server.checks.check(INPUTS, WAIT)).toEqual(EXPECTED);
        },
        START_TIMEOUT * 3,
      );

      it(
        'read contact_checks once, however many pages of inputs there are, letting the event loop turn in between',
        async () => {
          const count = 2 * INDEX_PAGE_SIZE + 5_000;
          const storage = await seeded(undefined, count);
          const h = await start(storage);
          expect(h.server.checks.holding.inputs).toBe(count);
          // The statements of a load that read contact_checks, explained afterwards with their parameters.
          const statements: Array<[string, unknown[]]> = [];
          const query = h.server.db.query.bind(h.server.db);
          const spy = vi.spyOn(h.server.db, 'query').mockImplementation(async (sql, params) => {
            if (sql.includes('contact_checks')) statements.push([sql, params ?? []]);
            return query(sql, params);
          });
          // PGlite's statements never wait for I/O: a load that chained them all would hold off any request until its end.
          let turned = false;
          setImmediate(() => {
            turned = true;
          });
          await h.server.checks.loadIndex();
          expect(turned).toBe(true);
          spy.mockRestore();
          let rows = 0;
          for (const [sql, params] of statements)
            for (const n of scannedRows(await explainPlan(h.server.db, sql, params), 'contact_checks')) rows += n;
          // Each input page joined to the table scanned all of it: three times the rows here.
          expect(rows).toBe(count);
          const last = seededInput(count - 1);
          expect(h.server.checks.check([last], WAIT)).toEqual([
            { input: last, status: 'valid', wa_id: seededWaId('1631', count - 1) },
          ]);
        },
        START_TIMEOUT * 3,
      );

      it(
        'hold at most WA_CHECK_INDEX_MAX inputs, evicting none; the rest is read from the tables, with the same answer',
        async () => {
          const storage = await seeded();
          const h = await start(storage, { WA_CHECK_INDEX_MAX: '500' });
          expect(h.server.checks.holding).toEqual({ inputs: 500, bytes: 667 * 12 });
          // The first 500 in key order are held: a check of 100 of them reads no table; any 1,000 are answered all the same.
          const heldInputs = [...INPUTS].sort().slice(0, 100);
          const expectedHeld = heldInputs.map((input) => EXPECTED[INPUTS.indexOf(input)]);
          expect(h.server.checks.check(heldInputs, WAIT)).toEqual(expectedHeld);
          expect(await h.server.checks.check(INPUTS.slice(0, 1_000), WAIT)).toEqual(EXPECTED.slice(0, 1_000));
          expect(await h.server.checks.check(INPUTS.slice(1_000), WAIT)).toEqual(EXPECTED.slice(1_000));
          expect(h.server.checks.holding.inputs).toBe(500);
          expect(h.server.checks.check(heldInputs, WAIT)).toEqual(expectedHeld);
        },
        START_TIMEOUT * 3,
      );

      it(
        'leave out results older than 7 days: such a number is checked again',
        async () => {
          const storage = await seeded(async (h) => {
            // Number 0 checked a minute more than 7 days before the start, invalid then.
            await h.server.db.query(`UPDATE contact_checks SET checked_at = $2, status = 'invalid' WHERE wa_id = $1`, [
              seededWaId('1631', 0),
              h.now() - 7 * DAY_MS - 60_000,
            ]);
          });
          const h = await start(storage);
          expect(h.server.checks.holding.inputs).toBe(COUNT);
          const answer = h.server.checks.check(INPUTS.slice(0, 2), WAIT);
          expect(answer).toBeInstanceOf(Promise);
          expect(await answer).toEqual(EXPECTED.slice(0, 2));
          // Checked again now: held, fresh, valid.
          expect(h.server.checks.check(INPUTS.slice(0, 2), WAIT)).toEqual(EXPECTED.slice(0, 2));
        },
        START_TIMEOUT * 3,
      );

      it(
        'a force_check result reaches the inputs held of its number: the next check answers it from memory',
        async () => {
          // v2.41 answers an invalid number invalid (v2.43 answers every real number valid).
          const h = await start(await seededFirstInvalid(), { WA_API_VERSION: 'v2.41.2' });
          const inputs = INPUTS.slice(0, 4);
          expect(h.server.checks.check(inputs, WAIT)).toEqual(inputs.map((input) => ({ input, status: 'invalid' })));
          const forced = await h.server.checks.check(inputs, { wait: true, forceCheck: true });
          expect(forced).toEqual(EXPECTED.slice(0, 4));
          expect(h.server.checks.check(inputs, WAIT)).toEqual(forced);
          // Another format of number 0, new to this process: parsed, and its result read from the table.
          const other = `+${seededWaId('1631', 0)}`;
          expect(await h.server.checks.check([other], WAIT)).toEqual([{ ...forced[0], input: other }]);
          expect(h.server.checks.check([other], WAIT)).toEqual([{ ...forced[0], input: other }]);
        },
        START_TIMEOUT * 3,
      );

      it(
        'are forgotten at a snapshot restore: a check then answers from the restored tables',
        async () => {
          const storage = await seeded();
          const h = await start(storage, { WA_API_VERSION: 'v2.41.2' });
          const inputs = INPUTS.slice(0, 2);
          expect(h.server.checks.check(inputs, WAIT)).toEqual(EXPECTED.slice(0, 2));
          const exported = await h.api.call('exportSnapshot');
          const snapshot = (exported.body as { snapshot: { contact_checks: Array<{ wa_id: string; status: string }> } })
            .snapshot;
          for (const c of snapshot.contact_checks) if (c.wa_id === seededWaId('1631', 0)) c.status = 'invalid';
          expect((await h.api.call('restoreSnapshot', { body: snapshot as never })).status).toBe(200);
          expect(h.server.checks.holding.inputs).toBe(0);
          const answer = h.server.checks.check(inputs, WAIT);
          expect(answer).toBeInstanceOf(Promise);
          expect(await answer).toEqual([{ input: inputs[0], status: 'invalid' }, EXPECTED[1]]);
        },
        START_TIMEOUT * 3,
      );
    });
  },
);
