import { afterAll, beforeAll, expect, it } from 'vitest';
import { Broadcast } from '../../src/domain/broadcast.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { eachTarget, type Instance } from '../storage/helpers/targets.js';

/**
 * A broadcast reaches every instance listening on the database, nothing of a rolled-back
 * transaction goes out, and a delivery is confirmed at once on PGlite (one process per folder)
 * and after the wait's bound when an instance listens but never confirms. That the wait is
 * what makes the next request to another process see the change is shown with two processes
 * in test/http/clock-instances.test.ts and test/http/token-revocation-instances.test.ts.
 */

const OPEN_TIMEOUT = 60_000;
const noError = (error: unknown) => {
  throw error;
};

eachTarget((target) => {
  let instance: Instance;
  const opened: Database[] = [];
  const open = async () => {
    const db = await openDatabase(instance.options);
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    instance = await target.create();
  }, OPEN_TIMEOUT);

  afterAll(async () => {
    for (const db of opened) await db.close();
    await instance?.cleanup();
  });

  it('sends nothing from a transaction rolled back, and confirms what was sent once each instance handled it', async () => {
    const a = await open();
    const heardByA: Array<string | null> = [];
    const aSide = new Broadcast(a, 'test_broadcast', 'a', (p) => heardByA.push(p), noError);
    const stops = [await aSide.follow()];
    const heardByB: Array<string | null> = [];
    if (target.kind === 'postgres') {
      const b = await open();
      stops.push(await new Broadcast(b, 'test_broadcast', 'b', (p) => heardByB.push(p), noError).follow());
    }
    try {
      await a
        .transaction(async (tx) => {
          await aSide.send(tx, 'rolled back');
          throw new Error('roll back');
        })
        .catch(() => undefined);
      const delivery = await a.transaction((tx) => aSide.send(tx, 'moved to 42'));
      await delivery.confirmed();
      // A hears its own message too.
      expect(heardByB).toEqual(target.kind === 'postgres' ? ['moved to 42'] : []);
      for (let i = 0; i < 200 && heardByA.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(heardByA).toEqual(['moved to 42']);
    } finally {
      for (const stop of stops) await stop();
    }
  });

  if (target.kind === 'postgres') {
    it('goes on after its bound when an instance listens but never confirms', async () => {
      const a = await open();
      const aSide = new Broadcast(a, 'test_broadcast_silent', 'a', () => undefined, noError);
      const stopA = await aSide.follow();
      // A listener on the database that does not follow this broadcast: counted, never confirming.
      const silent = await open();
      const stopSilent = await silent.listen('test_other', () => undefined);
      try {
        const delivery = await aSide.send(a, 'anyone?');
        await expect(delivery.confirmed()).resolves.toBeUndefined();
      } finally {
        await stopSilent();
        await stopA();
      }
    });
  }
});
