import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAlive } from './throwaway-dir.js';

/** In the PGlite folder, the pid of the server that has it open (like PostgreSQL's postmaster.pid). */
export const LOCK_FILE = 'reference-server.pid';

/** Folders locked by this process: a second open of one here is refused too. */
const held = new Set<string>();

/**
 * One server per PGlite folder: each PGlite keeps its own view of the database in memory and
 * writes it over the other's files, so two would lose each other's commits. The lock file is
 * written whole under a temporary name, then linked into place (link fails when the name exists,
 * atomically, like O_EXCL); a lock whose process is gone is removed and taken, as PostgreSQL does.
 * Returns the function that releases it.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const lock = join(dir, LOCK_FILE);
  if (held.has(dir)) throw new Error(`The PGlite data folder ${dir} is already open in this process.`);
  mkdirSync(dir, { recursive: true });
  const candidate = `${lock}.${process.pid}.tmp`;
  writeFileSync(candidate, `${process.pid}\n`);
  try {
    // A stale lock removed here may be taken by another starting server first: try again.
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(candidate, lock);
        held.add(dir);
        return () => {
          held.delete(dir);
          if (ownerOf(lock) === process.pid) rmSync(lock, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = ownerOf(lock);
      // Our own pid is a previous life's (a container restarted): this process has no such lock (held).
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The PGlite data folder ${dir} is in use by another reference server (pid ${owner}): stop that one, or give this one another WA_DATA_DIR (remove ${lock} only if no such server runs).`,
        );
      }
      rmSync(lock, { force: true });
    }
    throw new Error(`Could not lock the PGlite data folder ${dir}: ${lock} kept coming back.`);
  } finally {
    rmSync(candidate, { force: true });
  }
}

function ownerOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
