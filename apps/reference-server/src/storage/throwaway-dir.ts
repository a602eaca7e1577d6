import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

// The host is part of the name: containers that share /tmp do not share process ids.
export const THROWAWAY_PREFIX = `wa-contacts-pglite-${hostname().replace(/[^A-Za-z0-9.]/g, '_')}-`;
const open = new Set<string>();

/**
 * WA_DATA_DIR=memory: PGlite in a temporary folder. Its in-memory file system would hold the
 * files in this process's memory (about 40 MB, plus the garbage of filling it); here the
 * kernel's page cache holds them. The folder goes when the database closes or the process
 * exits; one left by a server that was killed goes when the next one starts.
 */
export function createThrowawayDir(): { path: string; remove(): void } {
  removeAbandoned();
  const path = mkdtempSync(join(tmpdir(), `${THROWAWAY_PREFIX}${process.pid}-`));
  if (open.size === 0) process.on('exit', removeAllOpen);
  open.add(path);
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
      open.delete(path);
      if (open.size === 0) process.off('exit', removeAllOpen);
    },
  };
}

function removeAllOpen(): void {
  for (const path of open) rmSync(path, { recursive: true, force: true });
}

function removeAbandoned(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(THROWAWAY_PREFIX)) continue;
    const pid = Number(name.slice(THROWAWAY_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid))
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** Whether a process of that id runs on this host (one we may not signal counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
