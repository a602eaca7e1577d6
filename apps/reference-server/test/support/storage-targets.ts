import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@wa-contacts/test-kit';
import { describe } from 'vitest';

/**
 * The one table of where a test keeps its data: each create() gives a fresh, empty place (a
 * PGlite folder or memory, or a new PostgreSQL database), both as the server's environment
 * variables (`env`) and as openDatabase's options (`options`).
 */
export interface StorageTarget {
  name: string;
  kind: 'pglite' | 'postgres';
  /** Whether a server started again on the same env (or the same options opened again) finds the data of the previous one. */
  persistent: boolean;
  skipReason: string | null;
  create(): Promise<StorageInstance>;
}

export interface StorageInstance {
  env: Record<string, string>;
  options: { dataDir?: string; databaseUrl?: string };
  cleanup(): Promise<void>;
}

export const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
export const POSTGRES_SKIP_REASON = 'DATABASE_URL is not set (eval "$(bash scripts/ensure-postgres.sh)")';

export const pgliteMemory: StorageTarget = {
  name: 'pglite (memory)',
  kind: 'pglite',
  persistent: false,
  skipReason: null,
  create: async () => ({ env: { WA_DATA_DIR: 'memory' }, options: { dataDir: 'memory' }, cleanup: async () => {} }),
};

export const pgliteDir: StorageTarget = {
  name: 'pglite (WA_DATA_DIR)',
  kind: 'pglite',
  persistent: true,
  skipReason: null,
  create: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wa-test-'));
    return {
      env: { WA_DATA_DIR: dir },
      options: { dataDir: dir },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

export const postgres: StorageTarget = {
  name: 'postgres (DATABASE_URL)',
  kind: 'postgres',
  persistent: true,
  skipReason: databaseUrl ? null : POSTGRES_SKIP_REASON,
  // A database of its own for each instance, so test files running in parallel on one
  // PostgreSQL never see each other's tables.
  create: async () => {
    const db = await freshDatabase(databaseUrl!, { prefix: 'wa_test' });
    return { env: { DATABASE_URL: db.url }, options: { databaseUrl: db.url }, cleanup: db.drop };
  },
};

export const storageTargets: readonly StorageTarget[] = [pgliteMemory, pgliteDir, postgres];

/** describe.each over targets; a skipped one shows why in its title. */
export function eachStorage(targets: readonly StorageTarget[], fn: (target: StorageTarget) => void): void {
  for (const target of targets) {
    const title = target.skipReason ? `${target.name} [skipped: ${target.skipReason}]` : target.name;
    describe.skipIf(target.skipReason !== null)(title, () => fn(target));
  }
}
