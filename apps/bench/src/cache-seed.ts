import { PhoneNormalizer } from '@wa-contacts/reference-server/phone';
import type { OpenDatabaseOptions, openDatabase, seedBulk } from '@wa-contacts/reference-server/storage';

/** What a check's inputs normalize in for the business the bench's servers start with (+1 631 555 0100, US). */
export const BENCH_INPUTS_CONTEXT = new PhoneNormalizer({ region: 'US', callingCode: '1' }).context;

/** The storage layer of a reference server build: the workspace's, or another one's (`WA_BENCH_MAIN`). */
export interface StorageLayer {
  openDatabase: typeof openDatabase;
  seedBulk: typeof seedBulk;
}

/**
 * Seeds a contacts cache in bulk: `count` numbers `prefix + (2000000 + i)` checked now, each with
 * the input a check of the bench sent it as (seedBulk), through `storage`, whose migrations apply.
 */
export async function seedCache(
  storage: StorageLayer,
  options: OpenDatabaseOptions,
  prefix: string,
  count: number,
): Promise<void> {
  const db = await storage.openDatabase(options);
  try {
    await storage.seedBulk(db, {
      now: Date.now(),
      contactChecks: { prefix, count, inputsContext: BENCH_INPUTS_CONTEXT },
    });
  } finally {
    await db.close();
  }
}
