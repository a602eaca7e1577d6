import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface FreshDatabase {
  /** The admin URL with the new database in its path (same server, credentials, options). */
  url: string;
  name: string;
  /** Drops it, whoever is still connected (a killed server's backends, say); once only. */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database on the server of `adminUrl`, whose user needs CREATEDB: tests and runs
 * sharing one PostgreSQL (CI's DATABASE_URL) never see each other's rows.
 */
export async function freshDatabase(
  adminUrl: string,
  { prefix = 'wa_test' }: { prefix?: string } = {},
): Promise<FreshDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix))
    throw new Error(
      `database name prefix ${JSON.stringify(prefix)}: lower-case letters, digits and _ only, 31 at most`,
    );
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= dropDatabase(adminUrl, name).catch((error: unknown) => {
      dropped = undefined; // a failed drop may be tried again
      throw error;
    }));
  return { url: url.toString(), name, drop };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    // DROP DATABASE refuses while anyone is connected. WITH (FORCE) (PostgreSQL 13) ends the
    // sessions and drops in one step, so a pool cannot reconnect in between.
    if (Number(rows[0]?.server_version_num) >= 130000) {
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return;
      } catch (error) {
        // 42501: FORCE also refuses an autovacuum worker in the database (it runs as no role);
        // the plain DROP below stops autovacuum by itself.
        if ((error as { code?: string }).code !== '42501') throw error;
      }
    }
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND usename = current_user',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  });
}
