import { afterEach, expect, it, vi } from 'vitest';
import { listPendingChecks } from '../../src/storage/index.js';
import { startServer } from '../support/harness.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

const NO_WAIT = { wait: false, forceCheck: false };
const X = '+16315550001';
const INSERT_PENDING = /^\s*INSERT INTO pending_checks/;
const LOOK_UP = /^WITH asked/;

/**
 * Two no_wait checks of one number race: the first stores its pending row only after the
 * second's background check has settled (deleted) the number's pending rows, while that check's
 * chunk is still being worked. The first's row must be checked too, not left for the next start.
 */
eachStorage([pgliteMemory, postgres], (target) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a pending row stored while its number is being checked is settled before the server is idle', async () => {
    const storage = await target.create();
    const h = await startServer({ storage });
    cleanups.push(storage.cleanup, () => h.close());
    const { db, checks } = h.server;
    const query = db.query.bind(db);
    let releaseFirst: (() => void) | undefined;
    const firstHeld = new Promise<void>((release) => (releaseFirst = release));
    let inserts = 0;
    let first: Promise<unknown> | undefined;
    vi.spyOn(db, 'query').mockImplementation(async (sql, params) => {
      if (INSERT_PENDING.test(sql) && inserts++ === 0) await firstHeld;
      const result = await query(sql, params);
      // The look-up has settled the second's row; the first stores its row and queues the number now.
      if (LOOK_UP.test(sql) && releaseFirst) {
        releaseFirst();
        releaseFirst = undefined;
        await first;
      }
      return result;
    });

    first = Promise.resolve(checks.check([X], NO_WAIT));
    const second = await checks.check([X], NO_WAIT);
    expect(second).toEqual([{ input: X, status: 'processing', wa_id: X.slice(1) }]);
    expect(await first).toEqual(second);
    await checks.idle();
    expect(inserts).toBe(2);
    expect(await listPendingChecks(db)).toEqual([]);
    expect(await checks.check([X], NO_WAIT)).toEqual([{ input: X, status: 'valid', wa_id: X.slice(1) }]);
  });
});
