import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@wa-contacts/test-kit';
import { describe } from 'vitest';
import type { OpenDatabaseOptions } from '../../../src/storage/database.js';

export const databaseUrl = process.env.DATABASE_URL || undefined;

/** One place to open a fresh, empty database of one kind. */
export interface Target {
  name: string;
  kind: 'pglite' | 'postgres';
  /** Whether closing and reopening the same options finds the same data. */
  persistent: boolean;
  skipReason: string | null;
  create(): Promise<Instance>;
}

export interface Instance {
  options: OpenDatabaseOptions;
  cleanup(): Promise<void>;
}

const pgliteMemory: Target = {
  name: 'pglite (memory)',
  kind: 'pglite',
  persistent: false,
  skipReason: null,
  create: async () => ({ options: { dataDir: 'memory' }, cleanup: async () => {} }),
};

const pgliteDir: Target = {
  name: 'pglite (dataDir)',
  kind: 'pglite',
  persistent: true,
  skipReason: null,
  create: async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wa-storage-test-'));
    return { options: { dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

const postgres: Target = {
  name: 'postgres',
  kind: 'postgres',
  persistent: true,
  skipReason: databaseUrl ? null : 'DATABASE_URL is not set (run scripts/ensure-postgres.sh)',
  // A database of its own for each test database, so test files running in parallel on one
  // PostgreSQL never see each other's tables.
  create: async () => {
    const db = await freshDatabase(databaseUrl!, { prefix: 'wa_storage_test' });
    return { options: { databaseUrl: db.url }, cleanup: db.drop };
  },
};

export const targets: Target[] = [pgliteMemory, pgliteDir, postgres];

if (!databaseUrl) {
  console.warn('[storage tests] PostgreSQL adapter SKIPPED: DATABASE_URL is not set (run scripts/ensure-postgres.sh)');
}

/** describe.each over the targets, with skipped ones showing why in their name. */
export function eachTarget(fn: (target: Target) => void, only: (t: Target) => boolean = () => true): void {
  for (const target of targets.filter(only)) {
    const title = target.skipReason ? `${target.name} [skipped: ${target.skipReason}]` : target.name;
    describe.skipIf(target.skipReason !== null)(title, () => fn(target));
  }
}
