import { readdir, readFile } from 'node:fs/promises';
import type { DatabaseAdapter } from './adapter.js';

/** src/storage/ and dist/storage/ both sit two levels below the package root. */
export const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);

// Any constant works as long as nothing else in the database uses it for an advisory lock.
const MIGRATION_LOCK_KEY = 4_207_150_001;

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export async function listMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => FILE_NAME.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const version = file.slice(0, 3);
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`two migrations share version ${version}`);
    }
    migrations.push({ version, name: file.slice(0, -'.sql'.length), sql: await readFile(new URL(file, dir), 'utf8') });
  }
  return migrations;
}

/**
 * Applies the migrations not yet recorded in schema_migrations, in order, in one
 * transaction. The advisory lock makes instances that start together on one PostgreSQL
 * take turns: the first applies, the others then find nothing left to do.
 * Returns the names applied by this call.
 */
export async function migrate(db: DatabaseAdapter, dir: URL = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await listMigrations(dir);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    text PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: string }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
    return applied;
  });
}
