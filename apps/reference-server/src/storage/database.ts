import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
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
    db = await openPglite(dataDir);
  } else {
    throw new Error("openDatabase needs a databaseUrl, or a dataDir (a path or 'memory')");
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
