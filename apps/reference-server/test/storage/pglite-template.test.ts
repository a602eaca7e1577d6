import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { listMigrations } from '../../src/storage/migrate.js';
import { readTemplate, templateKey, writeTemplate } from '../../src/storage/pglite-template.js';

const OPEN_TIMEOUT = 60_000;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'wa-template-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const settingsOf = async (db: Database) =>
  Object.fromEntries(
    (
      await db.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE name IN ('wal_segment_size', 'min_wal_size', 'max_wal_size') ORDER BY name",
      )
    ).map((r) => [r.name, r.setting]),
  );

describe('templateKey', () => {
  it('changes with the settings and with any migration, and only then', async () => {
    const migrations = await listMigrations();
    const key = templateKey({ a: 1 }, migrations);
    expect(key).toMatch(/^[0-9a-f]{24}$/);
    expect(templateKey({ a: 1 }, migrations)).toBe(key);
    expect(templateKey({ a: 2 }, migrations)).not.toBe(key);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(templateKey({ a: 1 }, edited)).not.toBe(key);
    expect(templateKey({ a: 1 }, [...migrations, { version: '999', name: '999_more', sql: 'SELECT 1' }])).not.toBe(key);
  });
});

describe('readTemplate / writeTemplate', () => {
  it('reads back what was written, and nothing for another key', async () => {
    const dir = join(scratch, 'rw');
    expect(await readTemplate('a'.repeat(24), dir)).toBeUndefined();
    expect(await writeTemplate('b'.repeat(24), new Blob([Buffer.from('tarball')]), dir)).toBe(true);
    expect(await readdir(dir)).toEqual([`${'b'.repeat(24)}.tar.gz`]);
    expect(Buffer.from(await (await readTemplate('b'.repeat(24), dir))!.arrayBuffer()).toString()).toBe('tarball');
    expect(await readTemplate('a'.repeat(24), dir)).toBeUndefined();
  });

  it('reports false, without throwing, where it cannot write', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, 'not a folder');
    expect(await writeTemplate('c'.repeat(24), new Blob(['x']), join(file, 'sub'))).toBe(false);
  });
});

describe('fresh PGlite databases', () => {
  it(
    'the first keeps a template, the next starts from it with the same schema and settings',
    async () => {
      const templateDir = join(scratch, 'templates');
      const first = await openDatabase({ dataDir: 'memory', templateDir });
      try {
        const kept = await readdir(templateDir);
        expect(kept).toHaveLength(1);
        expect(kept[0]).toMatch(/^[0-9a-f]{24}\.tar\.gz$/);
        await first.query('CREATE TABLE only_in_first (id int)');
      } finally {
        await first.close();
      }

      // On disk too: a new WA_DATA_DIR starts from the template.
      const dataDir = join(scratch, 'data');
      for (const options of [{ dataDir: 'memory', templateDir }, { dataDir, templateDir }]) {
        const db = await openDatabase(options);
        try {
          const versions = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
          expect(versions.map((v) => v.version)).toEqual((await listMigrations()).map((m) => m.version));
          // Only the schema travelled: nothing written by the first server.
          expect(await db.query("SELECT to_regclass('only_in_first') AS t")).toEqual([{ t: null }]);
          expect(await settingsOf(db)).toEqual({ max_wal_size: '8', min_wal_size: '2', wal_segment_size: '1048576' });
        } finally {
          await db.close();
        }
      }
      expect(await readdir(templateDir)).toHaveLength(1);
    },
    OPEN_TIMEOUT * 2,
  );
});

describe('checkpoints', () => {
  it(
    'keep the WAL of a PGlite database small under a steady stream of writes',
    async () => {
      const templateDir = join(scratch, 'templates');
      // The settings come with the template: make sure there is one.
      await (await openDatabase({ dataDir: 'memory', templateDir })).close();
      const db = await openDatabase({ dataDir: 'memory', templateDir });
      try {
        const walMb = async () => Number((await db.query<{ mb: string }>('SELECT (sum(size) / 1048576)::text AS mb FROM pg_ls_waldir()'))[0]!.mb);
        await db.query('CREATE TABLE churn (id int PRIMARY KEY, note text)');
        // About 50 MB of WAL: PGlite never checkpoints on its own, so without the adapter's
        // checkpoints every segment would stay.
        let written = 0;
        for (let round = 0; round < 60; round++) {
          await db.query(
            `INSERT INTO churn SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g
             ON CONFLICT (id) DO UPDATE SET note = excluded.note || $1`,
            [String(round)],
          );
          written += 1;
        }
        expect(written).toBe(60);
        await vi.waitFor(async () => expect(await walMb()).toBeLessThanOrEqual(10), { timeout: 10_000, interval: 250 });
      } finally {
        await db.close();
      }
    },
    OPEN_TIMEOUT,
  );
});
