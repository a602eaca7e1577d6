import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseAdapter } from '../../src/storage/adapter.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { listMigrations, migrate, MIGRATIONS_DIR } from '../../src/storage/migrate.js';
import { openPglite } from '../../src/storage/pglite.js';
import { openPostgres } from '../../src/storage/postgres.js';
import { eachTarget, type Instance, type Target } from './helpers/targets.js';

const OPEN_TIMEOUT = 60_000;
// Every migration of the package, in order: the one list the tests below expect.
const ALL_NAMES = [
  '001_initial',
  '002_application_settings',
  '003_webhooks',
  '004_misuse',
  '006_blocklist_buckets',
  '007_webhook_queues',
  '008_growth',
  '009_growth_reads',
  '010_blocklist_totals',
  '011_blocklist_parts',
  '012_webhook_free_heads',
  '013_webhook_queues_vacuum',
  '014_webhook_log_retention',
  '015_blocklist_count_shards',
];
const ALL_VERSIONS = ALL_NAMES.map((name) => ({ version: name.slice(0, 3) }));

const TABLES = [
  'accounts',
  'app_settings',
  'blocks',
  'blocks_buckets',
  'blocks_totals',
  'check_inputs',
  'contact_checks',
  'inbound_messages',
  'misuse_counts',
  'misuse_state',
  'pending_checks',
  'reports',
  'sandbox_clock',
  'schema_migrations',
  'tokens',
  'users',
  'webhook_attempts',
  'webhook_callbacks',
  'webhook_queues',
];

async function tablesOf(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() ORDER BY table_name`,
  );
  return rows.map((r) => r.name);
}

/** The bare adapter, without openDatabase's migrations; openPglite takes a folder, so 'memory' gets a temporary one. */
async function adapterFor(
  target: Target,
  instance: Instance,
  cleanups: Array<() => Promise<void>>,
): Promise<DatabaseAdapter> {
  if (target.kind === 'postgres') return openPostgres(instance.options.databaseUrl!);
  let dataDir = instance.options.dataDir!;
  if (dataDir === 'memory') {
    dataDir = await mkdtemp(join(tmpdir(), 'wa-migrate-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  }
  return openPglite(dataDir);
}

describe('listMigrations', () => {
  it('finds the package migrations folder from the source tree', async () => {
    expect(fileURLToPath(MIGRATIONS_DIR)).toBe(fileURLToPath(new URL('../../migrations/', import.meta.url)));
    const migrations = await listMigrations();
    expect(migrations.map((m) => [m.version, m.name])).toEqual(ALL_NAMES.map((name) => [name.slice(0, 3), name]));
    expect(migrations[0]!.sql).toContain('CREATE TABLE users');
  });

  it('orders by version and ignores files that are not NNN_name.sql', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wa-migrations-'));
    try {
      await writeFile(join(dir, '010_later.sql'), 'SELECT 10;');
      await writeFile(join(dir, '002_second.sql'), 'SELECT 2;');
      await writeFile(join(dir, 'README.md'), '# not a migration');
      await writeFile(join(dir, '3_bad_name.sql'), 'SELECT 3;');
      const migrations = await listMigrations(pathToFileURL(`${dir}/`));
      expect(migrations).toEqual([
        { version: '002', name: '002_second', sql: 'SELECT 2;' },
        { version: '010', name: '010_later', sql: 'SELECT 10;' },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

eachTarget((target) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function fresh(): Promise<Instance> {
    const instance = await target.create();
    cleanups.push(instance.cleanup);
    return instance;
  }

  it(
    'creates every table and records the migration once',
    async () => {
      const instance = await fresh();
      const db = await openDatabase(instance.options);
      cleanups.push(() => db.close());
      expect(await tablesOf(db)).toEqual(TABLES);
      expect(await db.query('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual(
        ALL_NAMES.map((name) => ({ version: name.slice(0, 3), name })),
      );
      expect(await db.query('SELECT * FROM app_settings')).toEqual([{ id: 1, application: {} }]);
      expect(await db.query('SELECT * FROM sandbox_clock')).toEqual([{ id: 1, offset_ms: 0 }]);
      expect(await db.query('SELECT * FROM misuse_state')).toEqual([
        { id: 1, state: 'ok', warned_at: null, disabled_at: null, version: 0 },
      ]);
    },
    OPEN_TIMEOUT,
  );

  it(
    'applies nothing the second time on an open database',
    async () => {
      const instance = await fresh();
      const db = await adapterFor(target, instance, cleanups);
      cleanups.push(() => db.close());
      expect(await migrate(db)).toEqual(ALL_NAMES);
      expect(await migrate(db)).toEqual([]);
      expect(await db.query('SELECT count(*) AS n FROM schema_migrations')).toEqual([{ n: ALL_NAMES.length }]);
    },
    OPEN_TIMEOUT,
  );

  if (target.persistent) {
    it(
      'reopens the same data without migrating again or losing rows',
      async () => {
        const instance = await fresh();
        const first = await openDatabase(instance.options);
        await first.query(`INSERT INTO blocks (wa_id, reason, blocked_at) VALUES ('16315551000', 'spam', 5)`);
        await first.close();

        const second = await adapterFor(target, instance, cleanups);
        cleanups.push(() => second.close());
        expect(await migrate(second)).toEqual([]);
        expect(await second.query('SELECT wa_id, reason, blocked_at, seq FROM blocks')).toEqual([
          { wa_id: '16315551000', reason: 'spam', blocked_at: 5, seq: 1 },
        ]);
        expect(await second.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(ALL_VERSIONS);
      },
      OPEN_TIMEOUT,
    );
  }

  it(
    'applies only new migrations, and none of a failing one',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wa-migrations-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const url = pathToFileURL(`${dir}/`);
      const instance = await fresh();
      const db = await adapterFor(target, instance, cleanups);
      cleanups.push(() => db.close());

      await writeFile(join(dir, '001_one.sql'), 'CREATE TABLE one (id int);');
      expect(await migrate(db, url)).toEqual(['001_one']);

      await writeFile(join(dir, '002_two.sql'), 'CREATE TABLE two (id int);\nINSERT INTO two VALUES (2);');
      await writeFile(join(dir, '003_broken.sql'), 'CREATE TABLE three (id int);\nSELECT no_such_column FROM three;');
      await expect(migrate(db, url)).rejects.toThrow(/no_such_column/);
      // One transaction: 002 is rolled back along with the half of 003 that ran.
      expect(await db.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: '001' }]);
      expect(await db.query(`SELECT to_regclass('two') AS two, to_regclass('three') AS three`)).toEqual([
        { two: null, three: null },
      ]);

      await writeFile(join(dir, '003_broken.sql'), 'CREATE TABLE three (id int);');
      expect(await migrate(db, url)).toEqual(['002_two', '003_broken']);
      expect(await db.query('SELECT id FROM two')).toEqual([{ id: 2 }]);
    },
    OPEN_TIMEOUT,
  );

  it(
    'regroups the blocklist totals of a database made before 011 per 2^15 seq values, and the triggers follow',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wa-migrations-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const url = pathToFileURL(`${dir}/`);
      const all = await listMigrations();
      for (const m of all.filter((m) => m.version < '011')) await writeFile(join(dir, `${m.name}.sql`), m.sql);
      const instance = await fresh();
      const db = await adapterFor(target, instance, cleanups);
      cleanups.push(() => db.close());
      await migrate(db, url);
      const parts = () => db.query('SELECT part::int AS part, n FROM blocks_totals ORDER BY part');
      // Three rows below 2^15, two above, all in 010's part 0.
      await db.query(`SELECT setval(pg_get_serial_sequence('blocks', 'seq'), ${2 ** 15 - 4})`);
      await db.query(
        `INSERT INTO blocks (wa_id, reason, blocked_at) SELECT '1631555100' || i, NULL, 5 FROM generate_series(0, 4) i`,
      );
      expect(await parts()).toEqual([{ part: 0, n: 5 }]);

      const eleven = all.find((m) => m.version === '011')!;
      await writeFile(join(dir, `${eleven.name}.sql`), eleven.sql);
      expect(await migrate(db, url)).toEqual(['011_blocklist_parts']);
      expect(await parts()).toEqual([
        { part: 0, n: 3 },
        { part: 1, n: 2 },
      ]);
      await db.query(`DELETE FROM blocks WHERE wa_id = '16315551004'`);
      await db.query(`INSERT INTO blocks (wa_id, reason, blocked_at) VALUES ('16315551009', NULL, 6)`);
      expect(await parts()).toEqual([
        { part: 0, n: 3 },
        { part: 1, n: 2 },
      ]);
      await db.query(`DELETE FROM blocks WHERE wa_id = '16315551000'`);
      expect(await parts()).toEqual([
        { part: 0, n: 2 },
        { part: 1, n: 2 },
      ]);
    },
    OPEN_TIMEOUT,
  );

  if (target.kind === 'postgres') {
    it(
      'lets several instances start at once on one PostgreSQL',
      async () => {
        const instance = await fresh();
        const dbs = await Promise.all(Array.from({ length: 6 }, () => openDatabase(instance.options)));
        cleanups.push(async () => {
          await Promise.all(dbs.map((db) => db.close()));
        });
        expect(await dbs[0]!.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(ALL_VERSIONS);
        expect(await tablesOf(dbs[5]!)).toEqual(TABLES);
      },
      OPEN_TIMEOUT,
    );
  }
});
