import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../../src/storage/data-dir-lock.js';
import { openDatabase } from '../../src/storage/database.js';
import { listMigrations } from '../../src/storage/migrate.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wa-lock-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const owner = async () => (await readFile(join(dir, LOCK_FILE), 'utf8')).trim();

describe('lockDataDir', () => {
  it('holds the folder with this pid, refuses a second lock in this process, and frees it on release', async () => {
    const release = lockDataDir(dir);
    expect(await owner()).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(`The PGlite data folder ${dir} is already open in this process.`);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  it('refuses a folder whose lock names a live process', async () => {
    await writeFile(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(
      `The PGlite data folder ${dir} is in use by another reference server (pid ${process.ppid})`,
    );
    expect(await owner()).toBe(String(process.ppid));
  });

  it.each([
    ['a process that is gone', () => String(spawnSync(process.execPath, ['-e', '']).pid)],
    ['this very pid from an earlier life (a restarted container)', () => String(process.pid)],
    ['nothing readable', () => 'garbage'],
  ])('takes over a lock that names %s', async (_, content) => {
    await writeFile(join(dir, LOCK_FILE), `${content()}\n`);
    const release = lockDataDir(dir);
    expect(await owner()).toBe(String(process.pid));
    release();
  });

  it('makes a fresh database without a template in the folder that holds the lock (initdb takes it)', async () => {
    // A file where the template folder should be: no template can be kept.
    await writeFile(join(dir, 'not-a-folder'), '');
    const dataDir = join(dir, 'data');
    const db = await openDatabase({ dataDir, templateDir: join(dir, 'not-a-folder', 'templates') });
    try {
      expect((await readFile(join(dataDir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
      const versions = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((v) => v.version)).toEqual((await listMigrations()).map((m) => m.version));
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 120_000);
});
