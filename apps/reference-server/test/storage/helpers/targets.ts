import { eachStorage, storageTargets, type StorageTarget } from '../../support/storage-targets.js';

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

/** describe.each over the targets, with skipped ones showing why in their name. */
export function eachTarget(
  fn: (target: StorageTarget) => void,
  only: (t: StorageTarget) => boolean = () => true,
): void {
  eachStorage(storageTargets.filter(only), fn);
}
