import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/database.js';
import * as repo from '../../src/storage/index.js';
import { eachTarget, type Instance } from './helpers/targets.js';

eachTarget((target) => {
  let instance: Instance;
  let db: Database;

  beforeAll(async () => {
    instance = await target.create();
    db = await openDatabase(instance.options);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await instance?.cleanup();
  });

  describe('misuse counts', () => {
    it('adds to the shards of a day; the window is their sum', async () => {
      await repo.clearMisuseCounts(db);
      await repo.addMisuseCounts(db, 100, { checked: 5 }, 0);
      await repo.addMisuseCounts(db, 100, { sent: 2 }, 3);
      await repo.addMisuseCounts(db, 100, { checked: 1, sent: 1 }, 3);
      await repo.addMisuseCounts(db, 103, { checked: 1 }, 15);
      await repo.addMisuseCounts(db, 107, { sent: 1 }, 0);
      expect(await repo.sumMisuseCounts(db, 94, 100)).toEqual({ checked: 6, sent: 3 });
      expect(await repo.sumMisuseCounts(db, 94, 107)).toEqual({ checked: 7, sent: 4 });
      // Day 100 has left the window of day 107.
      expect(await repo.sumMisuseCounts(db, 101, 107)).toEqual({ checked: 1, sent: 1 });
      expect(await repo.sumMisuseCounts(db, 200, 206)).toEqual({ checked: 0, sent: 0 });
    });

    it('keeps every one of simultaneous additions to one day', async () => {
      await repo.clearMisuseCounts(db);
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          repo.addMisuseCounts(db, 7, { checked: 3, sent: 1 }, i % repo.MISUSE_SHARDS),
        ),
      );
      expect(await repo.sumMisuseCounts(db, 1, 7)).toEqual({ checked: 150, sent: 50 });
    });

    it.runIf(target.kind === 'postgres')(
      'lets a transaction count into a day while another one that counted into it is still open',
      async () => {
        await repo.clearMisuseCounts(db);
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let first = Promise.resolve();
        const counted = new Promise<void>((resolve) => {
          first = db.transaction(async (tx) => {
            await repo.addMisuseCounts(tx, 7, { checked: 1 }, 0);
            resolve();
            await held;
          });
        });
        await counted;
        try {
          // On the day's one row this waited for the first transaction: lock_timeout ends the wait.
          await db.transaction(async (tx) => {
            await tx.query("SET LOCAL lock_timeout = '3s'");
            await repo.addMisuseCounts(tx, 7, { checked: 2 }, 1);
          });
        } finally {
          release();
          await first;
        }
        expect(await repo.sumMisuseCounts(db, 1, 7)).toEqual({ checked: 3, sent: 0 });
      },
    );

    it('stores the state one version up at each change', async () => {
      const before = await repo.getMisuseState(db);
      const stored = await repo.setMisuseState(db, { state: 'warned', warnedAt: 1_700_000_000_000, disabledAt: null });
      expect(stored).toEqual({
        state: 'warned',
        warnedAt: 1_700_000_000_000,
        disabledAt: null,
        version: before.version + 1,
      });
      expect(await repo.getMisuseState(db)).toEqual(stored);
    });
  });
});
