import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { DatabaseAdapter } from '../../src/storage/adapter.js';
import { listMigrations, migrate, MIGRATIONS_DIR } from '../../src/storage/migrate.js';
import { openPglite } from '../../src/storage/pglite.js';
import { openPostgres } from '../../src/storage/postgres.js';
import { eachTarget } from '../storage/helpers/targets.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wa-queues-migration-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The migrations before 007, in a folder of their own. */
async function migrationsBefore007(): Promise<URL> {
  const dir = await tempDir();
  const all = fileURLToPath(MIGRATIONS_DIR);
  for (const file of await readdir(all)) if (file < '007') await copyFile(join(all, file), join(dir, file));
  return pathToFileURL(`${dir}/`);
}

/** 007 on a database with callbacks outstanding: each contact's oldest pending one heads its queue, lease kept. */
eachTarget(
  (target) => {
    it('queues the pending callbacks of a database from before 007', async () => {
      const instance = await target.create();
      cleanups.push(() => instance.cleanup());
      const db: DatabaseAdapter =
        target.kind === 'postgres'
          ? await openPostgres(instance.options.databaseUrl!)
          : await openPglite(await tempDir());
      cleanups.push(() => db.close());
      await migrate(db, await migrationsBefore007());
      await db.query(
        `INSERT INTO webhook_callbacks (contact, payload, created_at, next_attempt_at, delivered_at, lease_until, memory_owner)
         VALUES ('A', '{}', 1, 1, 5, NULL, NULL), ('A', '{}', 2, 9, NULL, 77, NULL), ('A', '{}', 3, 3, NULL, NULL, NULL),
                ('B', '{}', 4, 4, NULL, NULL, 'i1'), ('C', '{}', 5, 5, 6, NULL, NULL)`,
      );
      const later = (await listMigrations()).filter((m) => m.version >= '007').map((m) => m.name);
      expect(later[0]).toBe('007_webhook_queues');
      expect(await migrate(db)).toEqual(later);
      expect(
        await db.query(`SELECT contact, head_id::int AS head, scan_from::int AS scan_from, next_attempt_at::int AS due,
                          lease_until::int AS lease, memory_owner FROM webhook_queues ORDER BY contact`),
      ).toEqual([
        { contact: 'A', head: 2, scan_from: 2, due: 9, lease: 77, memory_owner: null },
        { contact: 'B', head: 4, scan_from: 4, due: 4, lease: null, memory_owner: 'i1' },
      ]);
    }, 60_000);
  },
  (t) => t.name !== 'pglite (WA_DATA_DIR)',
);
