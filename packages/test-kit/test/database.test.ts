import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../src/index.js';

const adminUrl = process.env.DATABASE_URL?.trim() || undefined;
const SKIPPED =
  ' [skipped: DATABASE_URL is not set (export "$(bash apps/reference-server/scripts/ensure-postgres.sh)")]';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const exists = async (name: string) =>
  (await query(adminUrl!, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;

describe.skipIf(!adminUrl)(`freshDatabase on PostgreSQL${adminUrl ? '' : SKIPPED}`, () => {
  it('creates an empty database of its own on the same server, and drops it with a session still open', async () => {
    const db = await freshDatabase(adminUrl!, { prefix: 'wa_test_kit' });
    expect(db.name).toMatch(/^wa_test_kit_[a-z0-9]+_[0-9a-f]{8}$/);
    expect(new URL(db.url).pathname).toBe(`/${db.name}`);
    expect(new URL(db.url).host).toBe(new URL(adminUrl!).host);
    expect(await query(db.url, 'SELECT current_database() AS name')).toEqual([{ name: db.name }]);
    expect(
      await query(db.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"),
    ).toEqual([]);

    // A server killed mid-test (or still running when a test fails) leaves its sessions open.
    const left = new pg.Client({ connectionString: db.url });
    left.on('error', () => {});
    await left.connect();
    await left.query('CREATE TABLE t (x int)');
    await db.drop();
    expect(await exists(db.name)).toBe(false);
    await db.drop(); // once only: a second call is the first one's result
  });

  it('gives every database a name of its own', async () => {
    const dbs = await Promise.all([freshDatabase(adminUrl!), freshDatabase(adminUrl!)]);
    try {
      expect(dbs[0].name).not.toBe(dbs[1].name);
      expect(dbs[0].name).toMatch(/^wa_test_/);
    } finally {
      await Promise.all(dbs.map((db) => db.drop()));
    }
  });
});

it('refuses a name prefix that would need quoting', async () => {
  await expect(freshDatabase('postgres://127.0.0.1:1/none', { prefix: 'Robert"; DROP' })).rejects.toThrow(
    /lower-case letters, digits and _ only/,
  );
});
