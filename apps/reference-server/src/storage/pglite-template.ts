import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Migration } from './migrate.js';

/**
 * A fresh PGlite database costs an initdb: a second PostgreSQL instance in WebAssembly whose
 * data directory is then copied over, about 2.5 s and 450 MB of memory the garbage collector
 * gives back only much later (server RSS over 600 MB for its whole life). Every fresh
 * database of one PGlite version and one schema is the same, so the first one is kept here
 * as a tarball, and later fresh databases (in memory, or a new WA_DATA_DIR) start from it:
 * listening in about a second or two, with 250-300 MB less at the peak.
 *
 * Kept under the package's node_modules/.cache (src/storage/ and dist/storage/ both sit two
 * levels below the package root); the file name is a hash of everything the content depends
 * on, so a changed migration or PGlite version simply misses.
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

const memo = new Map<string, Blob>();
const memoKey = (dir: string, key: string) => join(dir, key);

/** The template of that key, if one was kept (read once per process). */
export async function readTemplate(key: string, dir = TEMPLATE_DIR): Promise<Blob | undefined> {
  const cached = memo.get(memoKey(dir, key));
  if (cached) return cached;
  try {
    const blob = new Blob([await readFile(join(dir, `${key}.tar.gz`))]);
    memo.set(memoKey(dir, key), blob);
    return blob;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a template (best effort: a read-only file system only costs the next start its
 * initdb). Written under a temporary name then renamed, so servers starting together never
 * read half a file.
 */
export async function writeTemplate(key: string, tarball: Blob, dir = TEMPLATE_DIR): Promise<boolean> {
  const partial = join(dir, `${key}.${process.pid}.${Date.now()}.partial`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
    await rename(partial, join(dir, `${key}.tar.gz`));
    memo.set(memoKey(dir, key), tarball);
    return true;
  } catch {
    await rm(partial, { force: true }).catch(() => undefined);
    return false;
  }
}
