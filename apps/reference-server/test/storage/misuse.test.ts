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
    it('adds to a day and returns the window up to that day, its own upsert included', async () => {
      await repo.clearMisuseCounts(db);
      expect(await repo.addMisuseCounts(db, 100, { checked: 5 }, 94)).toEqual({ checked: 5, sent: 0 });
      expect(await repo.addMisuseCounts(db, 100, { sent: 2 }, 94)).toEqual({ checked: 5, sent: 2 });
      expect(await repo.addMisuseCounts(db, 103, { checked: 1 }, 97)).toEqual({ checked: 6, sent: 2 });
      // Day 100 has left the window of day 107.
      expect(await repo.addMisuseCounts(db, 107, { sent: 1 }, 101)).toEqual({ checked: 1, sent: 1 });
      expect(await repo.sumMisuseCounts(db, 94, 107)).toEqual({ checked: 6, sent: 3 });
      expect(await repo.sumMisuseCounts(db, 101, 107)).toEqual({ checked: 1, sent: 1 });
      expect(await repo.sumMisuseCounts(db, 200, 206)).toEqual({ checked: 0, sent: 0 });
    });

    it('keeps every one of simultaneous additions to one day', async () => {
      await repo.clearMisuseCounts(db);
      await Promise.all(Array.from({ length: 50 }, () => repo.addMisuseCounts(db, 7, { checked: 3, sent: 1 }, 1)));
      expect(await repo.sumMisuseCounts(db, 1, 7)).toEqual({ checked: 150, sent: 50 });
    });

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
