import { createHash } from 'node:crypto';
import { constants, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Migration } from './migrate.js';
import { isAlive } from './throwaway-dir.js';

/**
 * A fresh PGlite database costs an initdb: a second PostgreSQL instance in WebAssembly whose
 * data directory is then copied over, about 2.5 s and 450 MB of memory the garbage collector
 * gives back only much later. Every fresh database of one PGlite version and one schema is
 * the same, so the first one is kept here as a data directory (closed cleanly, so it opens
 * without recovery), and later fresh databases start as a copy of its files.
 *
 * A copy of files, not PGlite's loadDataDir: that one takes a tarball, inflates all 30 MB of
 * it in JS and writes each file from there, and malloc kept about 70 MB of that garbage for
 * the life of the server (idle RSS of a new data directory: 249 MB that way, 173 MB copied).
 *
 * Kept under the package's node_modules/.cache (src/storage/ and dist/storage/ both sit two
 * levels below the package root); the folder's name is a hash of everything the content
 * depends on, so a changed migration or PGlite version simply misses.
 */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../node_modules/.cache/pglite-template/', import.meta.url));

let pgliteVersion: string | undefined;

function installedPgliteVersion(): string {
  if (pgliteVersion === undefined) {
    // Its exports map has no ./package.json: found from the resolved entry point instead.
    let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    pgliteVersion = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  }
  return pgliteVersion;
}

/** The cache key: PGlite's version, how the database is created, and every migration. */
export function templateKey(settings: unknown, migrations: readonly Migration[]): string {
  const hash = createHash('sha256').update(JSON.stringify({ pglite: installedPgliteVersion(), settings }));
  for (const m of migrations) hash.update(`\0${m.name}\0${m.sql}`);
  return hash.digest('hex').slice(0, 24);
}

/** The kept template of that key, if there is one. */
export function findTemplate(key: string, dir = TEMPLATE_DIR): string | undefined {
  const path = join(dir, key);
  return existsSync(join(path, 'PG_VERSION')) ? path : undefined;
}

let partialSequence = 0;

/**
 * Makes and keeps the template of that key with `create(folder)`, which must leave a closed
 * database in the folder; returns its path, or undefined where it cannot be kept (a read-only
 * file system: the caller then makes its database without one). Made under a temporary name
 * then renamed, so servers starting together never copy half a template.
 */
export async function keepTemplate(
  key: string,
  create: (dataDir: string) => Promise<void>,
  dir = TEMPLATE_DIR,
): Promise<string | undefined> {
  // The sequence keeps two calls of one process in the same millisecond apart.
  const partial = join(dir, `${key}.${process.pid}.${Date.now()}.${++partialSequence}.partial`);
  try {
    await mkdir(partial, { recursive: true });
  } catch {
    return undefined;
  }
  await removeAbandonedPartials(dir);
  try {
    await create(partial);
    await rename(partial, join(dir, key));
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    // Another server kept the same template first: theirs is as good.
    if (findTemplate(key, dir)) return join(dir, key);
    throw error;
  }
  return join(dir, key);
}

/**
 * What a server killed while making a template left (about 30 MB each): its process is gone
 * and it started over ten minutes ago (a folder shared between hosts may show a live
 * process's id as gone; none takes ten minutes to make one).
 */
async function removeAbandonedPartials(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    // Partials of earlier builds have no sequence number.
    const match = /^[0-9a-f]+\.(\d+)\.(\d+)(?:\.\d+)?\.partial$/.exec(name);
    if (!match || isAlive(Number(match[1])) || Date.now() - Number(match[2]) < 10 * 60_000) continue;
    await rm(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * A new data directory: a copy of the template's files, into dataDir (which may exist, empty).
 * A file already there is an error, never overwritten.
 *
 * Not fs.promises.cp: after it had run once, every process.nextTick of the server built its
 * tick object in V8's runtime for the rest of the process's life, and a cached one-number
 * check cost a quarter more CPU (bench README, fourth session). copyFile per file, folder by
 * folder, leaves no such trace.
 */
export async function copyTemplate(template: string, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await copyFolderContents(template, dataDir);
}

async function copyFolderContents(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true });
  // Settled, not raced: on a failure no copy is still writing when the caller cleans up.
  const copies = await Promise.allSettled(
    entries.map(async (entry) => {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) {
        await mkdir(target);
        await copyFolderContents(source, target);
      } else if (entry.isFile()) {
        await copyFile(source, target, constants.COPYFILE_EXCL);
      } else {
        throw new Error(`The PGlite template holds ${source}, which is neither a file nor a folder.`);
      }
    }),
  );
  const failed = copies.find((c): c is PromiseRejectedResult => c.status === 'rejected');
  if (failed) throw failed.reason;
}
