import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@wa-contacts/test-kit';
import { describe } from 'vitest';

/**
 * Where a test server keeps its data: each create() gives a fresh, empty place (a new PGlite
 * folder, or a new PostgreSQL database) and the environment variables that point the server
 * at it.
 */
export interface StorageTarget {
  name: string;
  /** Whether a server started again on the same env finds the data of the previous one. */
  persistent: boolean;
  skipReason: string | null;
  create(): Promise<StorageInstance>;
}

export interface StorageInstance {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
export const POSTGRES_SKIP_REASON = 'DATABASE_URL is not set (eval "$(bash scripts/ensure-postgres.sh)")';

export const pgliteMemory: StorageTarget = {
  name: 'pglite (memory)',
  persistent: false,
  skipReason: null,
  create: async () => ({ env: { WA_DATA_DIR: 'memory' }, cleanup: async () => {} }),
};

export const pgliteDir: StorageTarget = {
  name: 'pglite (WA_DATA_DIR)',
  persistent: true,
  skipReason: null,
  create: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wa-http-test-'));
    return { env: { WA_DATA_DIR: dir }, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
};

export const postgres: StorageTarget = {
  name: 'postgres (DATABASE_URL)',
  persistent: true,
  skipReason: databaseUrl ? null : POSTGRES_SKIP_REASON,
  create: async () => {
    const db = await freshDatabase(databaseUrl!, { prefix: 'wa_http_test' });
    return { env: { DATABASE_URL: db.url }, cleanup: db.drop };
  },
};

/** describe.each over targets; a skipped one shows why in its title. */
export function eachStorage(targets: StorageTarget[], fn: (target: StorageTarget) => void): void {
  for (const target of targets) {
    const title = target.skipReason ? `${target.name} [skipped: ${target.skipReason}]` : target.name;
    describe.skipIf(target.skipReason !== null)(title, () => fn(target));
  }
}
