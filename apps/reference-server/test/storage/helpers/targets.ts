import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../../src/storage/database.js';
import { lateBound } from '../../support/late-bound.js';
import {
  eachStorage,
  pgliteMemory,
  storageTargets,
  type StorageInstance,
  type StorageTarget,
} from '../../support/storage-targets.js';

/** The storage tests' names for the one table of storage targets (test/support/storage-targets.ts). */
export {
  databaseUrl,
  storageTargets as targets,
  type StorageInstance as Instance,
  type StorageTarget as Target,
} from '../../support/storage-targets.js';

if (!storageTargets.some((t) => t.kind === 'postgres' && t.skipReason === null)) {
  console.warn('[storage tests] PostgreSQL adapter SKIPPED: DATABASE_URL is not set (run scripts/ensure-postgres.sh)');
}

/**
 * describe.each over a PGlite folder and PostgreSQL, with skipped ones showing why in their name.
 * Not PGlite's 'memory': it is a throwaway folder on the same adapter, so its statements behave
 * as a named folder's. What differs (a folder of its own at each open, gone once closed, an
 * abandoned one swept) is tested in pglite-template.test.ts, and most HTTP tests' servers run on it.
 */
export function eachTarget(
  fn: (target: StorageTarget) => void,
  only: (t: StorageTarget) => boolean = () => true,
): void {
  eachStorage(
    storageTargets.filter((t) => t !== pgliteMemory && only(t)),
    fn,
  );
}

/**
 * For a block of tests sharing one database of `target`: a fresh instance and the database
 * opened on it before the tests, closed and cleaned up after them.
 */
export function useDatabase(target: StorageTarget, timeoutMs = 60_000): { db: Database; instance: StorageInstance } {
  let instance: StorageInstance | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    instance = await target.create();
    db = await openDatabase(instance.options);
  }, timeoutMs);
  afterAll(async () => {
    await db?.close();
    await instance?.cleanup();
  });
  return { db: lateBound(() => db, 'the database'), instance: lateBound(() => instance, 'the storage instance') };
}
