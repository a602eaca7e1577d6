import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { listMigrations } from '../../src/storage/migrate.js';
import { copyTemplate, findTemplate, keepTemplate, templateKey } from '../../src/storage/pglite-template.js';
import { THROWAWAY_PREFIX } from '../../src/storage/throwaway-dir.js';

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

describe('findTemplate / keepTemplate', () => {
  const makeFolder = (content: string) => async (dataDir: string) => {
    await writeFile(join(dataDir, 'PG_VERSION'), content);
  };

  it('keeps what create made under the key, and finds it, and nothing for another key', async () => {
    const dir = join(scratch, 'kept');
    expect(findTemplate('a'.repeat(24), dir)).toBeUndefined();
    const kept = await keepTemplate('b'.repeat(24), makeFolder('17'), dir);
    expect(kept).toBe(join(dir, 'b'.repeat(24)));
    expect(await readdir(dir)).toEqual(['b'.repeat(24)]);
    expect(findTemplate('b'.repeat(24), dir)).toBe(kept);
    expect(await readFile(join(kept!, 'PG_VERSION'), 'utf8')).toBe('17');
    expect(findTemplate('a'.repeat(24), dir)).toBeUndefined();
  });

  it('leaves nothing behind when create fails, and says why', async () => {
    const dir = join(scratch, 'failed');
    await expect(keepTemplate('c'.repeat(24), () => Promise.reject(new Error('initdb failed')), dir)).rejects.toThrow(
      'initdb failed',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes the template another server kept first', async () => {
    const dir = join(scratch, 'race');
    const [first, second] = await Promise.all([
      keepTemplate('d'.repeat(24), makeFolder('first'), dir),
      keepTemplate('d'.repeat(24), makeFolder('second'), dir),
    ]);
    expect(first).toBe(join(dir, 'd'.repeat(24)));
    expect(second).toBe(first);
    expect(await readdir(dir)).toEqual(['d'.repeat(24)]);
    expect(['first', 'second']).toContain(await readFile(join(first!, 'PG_VERSION'), 'utf8'));
  });

  it('gives two calls of one process in the same millisecond a folder each to make the template in', async () => {
    const dir = join(scratch, 'same-millisecond');
    const folders: string[] = [];
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000);
    try {
      const kept = await Promise.all(
        ['first', 'second'].map((content) =>
          keepTemplate(
            'h'.repeat(24),
            async (folder) => {
              folders.push(folder);
              await makeFolder(content)(folder);
            },
            dir,
          ),
        ),
      );
      expect(kept).toEqual([join(dir, 'h'.repeat(24)), join(dir, 'h'.repeat(24))]);
    } finally {
      now.mockRestore();
    }
    expect(folders).toHaveLength(2);
    expect(new Set(folders).size).toBe(2);
    expect(await readdir(dir)).toEqual(['h'.repeat(24)]);
  });

  it('removes what a process gone for over ten minutes left half made, and keeps the rest', async () => {
    const dir = join(scratch, 'abandoned');
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const abandoned = `${'f'.repeat(24)}.${gone}.1700000000000.partial`;
    const abandonedWithSequence = `${'f'.repeat(24)}.${gone}.1700000000000.3.partial`;
    const inProgress = `${'f'.repeat(24)}.${process.pid}.1700000000000.partial`;
    const recent = `${'f'.repeat(24)}.${gone}.${Date.now()}.partial`;
    for (const name of [abandoned, abandonedWithSequence, inProgress, recent])
      await mkdir(join(dir, name), { recursive: true });
    await keepTemplate('g'.repeat(24), makeFolder('17'), dir);
    expect((await readdir(dir)).sort()).toEqual([inProgress, recent, 'g'.repeat(24)].sort());
  });

  it('reports undefined, without throwing, where it cannot write', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, 'not a folder');
    expect(await keepTemplate('e'.repeat(24), makeFolder('x'), join(file, 'sub'))).toBeUndefined();
  });
});

describe('copyTemplate', () => {
  const tree = async (root: string, prefix = ''): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) Object.assign(out, { [`${path}/`]: '' }, await tree(root, path));
      else out[path] = await readFile(join(root, path), 'latin1');
    }
    return out;
  };

  it('copies every file and folder, empty ones included, into an empty or missing folder', async () => {
    const template = join(scratch, 'copy-source');
    await mkdir(join(template, 'base', '5'), { recursive: true });
    await mkdir(join(template, 'pg_tblspc'));
    await writeFile(join(template, 'PG_VERSION'), '17\n');
    await writeFile(join(template, 'base', '5', '1259'), Buffer.from([0, 1, 2, 255, 254]));
    const expected = {
      PG_VERSION: '17\n',
      'base/': '',
      'base/5/': '',
      'base/5/1259': '\x00\x01\x02\xff\xfe',
      'pg_tblspc/': '',
    };

    const missing = join(scratch, 'copy-missing');
    await copyTemplate(template, missing);
    expect(await tree(missing)).toEqual(expected);

    const empty = await mkdtemp(join(scratch, 'copy-empty-'));
    await copyTemplate(template, empty);
    expect(await tree(empty)).toEqual(expected);
    expect(await tree(template)).toEqual(expected);
  });

  it('never overwrites: a file already in the folder is an error and keeps its content', async () => {
    const template = join(scratch, 'copy-source-2');
    await mkdir(template);
    await writeFile(join(template, 'PG_VERSION'), '17\n');
    const taken = await mkdtemp(join(scratch, 'copy-taken-'));
    await writeFile(join(taken, 'PG_VERSION'), 'mine');
    await expect(copyTemplate(template, taken)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(taken, 'PG_VERSION'), 'utf8')).toBe('mine');
  });
});

const throwawayFolders = async () => (await readdir(tmpdir())).filter((name) => name.startsWith(THROWAWAY_PREFIX));

describe('fresh PGlite databases', () => {
  it(
    'the first keeps a template, the next starts from it with the same schema and settings',
    async () => {
      const templateDir = join(scratch, 'templates');
      const first = await openDatabase({ dataDir: 'memory', templateDir });
      try {
        const kept = await readdir(templateDir);
        expect(kept).toHaveLength(1);
        expect(kept[0]).toMatch(/^[0-9a-f]{24}$/);
        expect(await readFile(join(templateDir, kept[0]!, 'PG_VERSION'), 'utf8')).toMatch(/^\d+\n$/);
        await first.query('CREATE TABLE only_in_first (id int)');
      } finally {
        await first.close();
      }

      // On disk too: a new WA_DATA_DIR starts from the template.
      const dataDir = join(scratch, 'data');
      for (const options of [
        { dataDir: 'memory', templateDir },
        { dataDir, templateDir },
      ]) {
        const db = await openDatabase(options);
        try {
          const versions = await db.query<{ version: string }>(
            'SELECT version FROM schema_migrations ORDER BY version',
          );
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

  it(
    "'memory' works in a temporary folder of its own, gone once the database is closed",
    async () => {
      // A temporary folder of this test's own (os.tmpdir() reads TMPDIR at each call; a worker
      // thread's env is its own): the other files' databases, opened meanwhile by other threads
      // or by servers, appeared in the shared one as a second new folder.
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = await mkdtemp(join(scratch, 'tmp-'));
      try {
        const before = await throwawayFolders();
        const db = await openDatabase({ dataDir: 'memory', templateDir: join(scratch, 'templates') });
        let folder: string | undefined;
        try {
          const added = (await throwawayFolders()).filter((name) => !before.includes(name));
          expect(added).toHaveLength(1);
          folder = join(tmpdir(), added[0]!);
          expect(added[0]).toContain(`-${process.pid}-`);
          expect(await readFile(join(folder, 'PG_VERSION'), 'utf8')).toMatch(/^\d+\n$/);
          await db.query('CREATE TABLE written (id int)');
        } finally {
          await db.close();
        }
        await expect(stat(folder!)).rejects.toThrow(/ENOENT/);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
    },
    OPEN_TIMEOUT,
  );

  it(
    'a folder left by a process that is gone is removed by the next throwaway database',
    async () => {
      const gone = spawnSync(process.execPath, ['-e', '']).pid!;
      const abandoned = join(tmpdir(), `${THROWAWAY_PREFIX}${gone}-abandoned`);
      await mkdir(abandoned);
      await writeFile(join(abandoned, 'PG_VERSION'), '17\n');
      const db = await openDatabase({ dataDir: 'memory', templateDir: join(scratch, 'templates') });
      await db.close();
      await expect(stat(abandoned)).rejects.toThrow(/ENOENT/);
    },
    OPEN_TIMEOUT,
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
        const walMb = async () =>
          Number(
            (await db.query<{ mb: string }>('SELECT (sum(size) / 1048576)::text AS mb FROM pg_ls_waldir()'))[0]!.mb,
          );
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
