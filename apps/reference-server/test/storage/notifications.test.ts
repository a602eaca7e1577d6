import { expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { notify } from '../../src/storage/repositories/notifications.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const OPEN_TIMEOUT = 60_000;

/** Resolves once `received` holds `count` payloads, or rejects after a bounded wait. */
async function until(received: unknown[], count: number): Promise<void> {
  for (let i = 0; i < 200 && received.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  if (received.length < count)
    throw new Error(`got ${received.length} of ${count} notifications: ${JSON.stringify(received)}`);
}

eachTarget((target) => {
  const { db, instance } = useDatabase(target, OPEN_TIMEOUT);

  it('delivers what a transaction notifies once it commits, in order, and nothing of one rolled back', async () => {
    const received: Array<string | null> = [];
    const stop = await db.listen('test_channel', (payload) => received.push(payload));
    try {
      await db
        .transaction(async (tx) => {
          await notify(tx, 'test_channel', 'rolled back');
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await db.transaction(async (tx) => {
        await notify(tx, 'test_channel', 'first');
        await notify(tx, 'test_channel', 'second');
        await notify(tx, 'other_channel', 'elsewhere');
      });
      await until(received, 2);
      await notify(db, 'test_channel', 'third');
      await until(received, 3);
      expect(received).toEqual(['first', 'second', 'third']);
    } finally {
      await stop();
    }
    await notify(db, 'test_channel', 'after stop');
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual(['first', 'second', 'third']);
  });

  it('refuses a channel name the adapters would spell differently', async () => {
    await expect(db.listen('Mixed-Case', () => undefined)).rejects.toThrow(
      /notification channel "Mixed-Case" must match/,
    );
  });

  if (target.kind === 'postgres') {
    it('reaches another connection pool on the same database', async () => {
      const other = await openDatabase(instance.options);
      try {
        const received: Array<string | null> = [];
        await other.listen('test_channel', (payload) => received.push(payload));
        await db.transaction((tx) => notify(tx, 'test_channel', 'across'));
        await until(received, 1);
        expect(received).toEqual(['across']);
      } finally {
        await other.close();
      }
    });
  }
});
