import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseAdapter } from './adapter.js';
import { listMigrations, migrate } from './migrate.js';
import { FRESH_DATABASE_SETTINGS, openPglite, PGLITE_SETTINGS, type PgliteAdapter } from './pglite.js';
import { copyTemplate, findTemplate, keepTemplate, TEMPLATE_DIR, templateKey } from './pglite-template.js';
import { lockDataDir } from './data-dir-lock.js';
import { createThrowawayDir } from './throwaway-dir.js';
import { openPostgres } from './postgres.js';
import type { OnRetry } from './retry.js';

/** What repositories need: one SQL statement with $1-style parameters, rows back. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  /** Commits when fn resolves, rolls back when it throws. Use only `tx` inside fn. */
  transaction<R>(fn: (tx: Queryable) => Promise<R>): Promise<R>;
  /**
   * Calls onMessage with the payload of every notification on channel (see notify()) from any
   * instance sharing the database, this one included, in commit order; with null when some may
   * have been missed (the listening connection was re-established): re-read what it tracks.
   * Resolves once listening, with the function that stops.
   */
  listen(channel: string, onMessage: (payload: string | null) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when set (and not empty) it wins over dataDir. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or 'memory' for a throwaway database (see throwaway-dir.ts). */
  dataDir?: string | undefined;
  /** Where fresh PGlite databases are kept as a template (see pglite-template.ts). */
  templateDir?: string | undefined;
  /** Errors of idle PostgreSQL connections (the pool replaces them); ignored when absent. */
  onPoolError?: ((error: Error) => void) | undefined;
  /** PostgreSQL only: each retry of a transaction or query aborted by a deadlock (40P01) or serialization failure (40001). */
  onRetry?: OnRetry | undefined;
}

/** Opens PostgreSQL or PGlite and brings the schema up to date before returning. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { databaseUrl, dataDir } = options;
  let db: DatabaseAdapter;
  if (databaseUrl) {
    db = await openPostgres(databaseUrl, { onPoolError: options.onPoolError, onRetry: options.onRetry });
  } else if (dataDir) {
    return openPgliteMigrated(dataDir, options.templateDir);
  } else {
    throw new Error("openDatabase needs a databaseUrl, or a dataDir (a path or 'memory')");
  }
  return migrated(db);
}

async function migrated<D extends DatabaseAdapter>(db: D): Promise<D> {
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/**
 * PGlite always works on a folder: the given one, or for 'memory' a throwaway one (see
 * throwaway-dir.ts). A fresh folder starts as a copy of the kept template, made first when
 * there is none.
 */
async function openPgliteMigrated(dataDir: string, templateDir = TEMPLATE_DIR): Promise<PgliteAdapter> {
  const throwaway = dataDir === 'memory' ? createThrowawayDir() : undefined;
  // A throwaway folder is this process's alone; a named one may be given to two servers.
  const release = throwaway ? () => throwaway.remove() : lockDataDir(dataDir);
  try {
    const db = await openPgliteFolder(throwaway?.path ?? dataDir, templateDir);
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function openPgliteFolder(dataDir: string, templateDir: string): Promise<PgliteAdapter> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return migrated(await openPglite(dataDir));
  const key = templateKey({ ...PGLITE_SETTINGS, FRESH_DATABASE_SETTINGS }, await listMigrations());
  const template = findTemplate(key, templateDir) ?? (await keepTemplate(key, createFresh, templateDir));
  if (template) await copyTemplate(template, dataDir);
  else await createFresh(dataDir);
  return migrated(await openPglite(dataDir));
}

/** initdb, the schema and the settings of a fresh database, closed. */
async function createFresh(dataDir: string): Promise<void> {
  const db = await migrated(await openPglite(dataDir));
  try {
    // ALTER SYSTEM refuses to run in a transaction: one statement at a time.
    for (const statement of FRESH_DATABASE_SETTINGS) await db.query(statement);
  } finally {
    await db.close();
  }
}
