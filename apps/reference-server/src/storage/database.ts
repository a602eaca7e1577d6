import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseAdapter } from './adapter.js';
import { listMigrations, migrate } from './migrate.js';
import { FRESH_DATABASE_SETTINGS, openPglite, PGLITE_SETTINGS, type PgliteAdapter } from './pglite.js';
import { readTemplate, TEMPLATE_DIR, templateKey, writeTemplate } from './pglite-template.js';
import { openPostgres } from './postgres.js';

/** What repositories need: one SQL statement with $1-style parameters, rows back. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  /** Commits when fn resolves, rolls back when it throws. Use only `tx` inside fn. */
  transaction<R>(fn: (tx: Queryable) => Promise<R>): Promise<R>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when set (and not empty) it wins over dataDir. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or 'memory' for a throwaway in-memory database. */
  dataDir?: string | undefined;
  /** Where fresh PGlite databases are kept as a template (see pglite-template.ts). */
  templateDir?: string | undefined;
  /** Errors of idle PostgreSQL connections (the pool replaces them); ignored when absent. */
  onPoolError?: ((error: Error) => void) | undefined;
}

/** Opens PostgreSQL or PGlite and brings the schema up to date before returning. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { databaseUrl, dataDir } = options;
  let db;
  if (databaseUrl) {
    db = await openPostgres(databaseUrl, { onPoolError: options.onPoolError });
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

/** A fresh PGlite database starts from the kept template when there is one, else keeps one. */
async function openPgliteMigrated(dataDir: string, templateDir = TEMPLATE_DIR): Promise<PgliteAdapter> {
  const fresh = dataDir === 'memory' || !existsSync(join(dataDir, 'PG_VERSION'));
  if (!fresh) return migrated(await openPglite(dataDir));
  const key = templateKey({ ...PGLITE_SETTINGS, FRESH_DATABASE_SETTINGS }, await listMigrations());
  const template = await readTemplate(key, templateDir);
  const db = await migrated(await openPglite(dataDir, { template }));
  if (!template) {
    // ALTER SYSTEM refuses to run in a transaction: one statement at a time.
    for (const statement of FRESH_DATABASE_SETTINGS) await db.query(statement);
    // Dumped before any request: nothing but the schema is in it yet.
    await writeTemplate(key, await db.dumpDataDir(), templateDir);
  }
  return db;
}
