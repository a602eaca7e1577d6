import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

// The server's own pg (this package has no database driver of its own).
const serverRequire = createRequire(fileURLToPath(new URL('../../reference-server/package.json', import.meta.url)));
const pg = serverRequire('pg') as { Client: new (options: { connectionString: string }) => PgClient };

const ENSURE_SCRIPT = fileURLToPath(new URL('../../reference-server/scripts/ensure-postgres.sh', import.meta.url));

/**
 * The PostgreSQL to benchmark on: DATABASE_URL when set, else (when allowed) the local one
 * that the reference server's scripts/ensure-postgres.sh starts; null when there is none.
 */
export async function findPostgres(options: { useEnsureScript: boolean }): Promise<{ url: string | null; reason: string }> {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv) return { url: fromEnv, reason: 'DATABASE_URL' };
  if (!options.useEnsureScript) return { url: null, reason: 'DATABASE_URL is not set' };
  try {
    const { stdout } = await promisify(execFile)('bash', [ENSURE_SCRIPT], { timeout: 300_000 });
    const url = /^DATABASE_URL=(.+)$/m.exec(stdout)?.[1]?.trim();
    return url ? { url, reason: 'scripts/ensure-postgres.sh' } : { url: null, reason: 'ensure-postgres.sh printed no DATABASE_URL' };
  } catch (error) {
    return { url: null, reason: `ensure-postgres.sh failed: ${error instanceof Error ? error.message.split('\n')[0] : error}` };
  }
}

/** A new, empty database for one run, on the same server and credentials as `url`. */
export async function createDatabase(url: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `wa_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  const drop = async () => {
    // WITH (FORCE) needs PostgreSQL 13; older servers get the plain form.
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => admin(`DROP DATABASE IF EXISTS ${name}`));
  };
  return { url: fresh.toString(), name, drop };
}
