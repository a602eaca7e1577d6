import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freshDatabase, type FreshDatabase } from '@wa-contacts/test-kit';

const ENSURE_SCRIPT = fileURLToPath(new URL('../../reference-server/scripts/ensure-postgres.sh', import.meta.url));

/**
 * The PostgreSQL to benchmark on: DATABASE_URL when set, else (when allowed) the local one
 * that the reference server's scripts/ensure-postgres.sh starts; null when there is none.
 */
export async function findPostgres(options: {
  useEnsureScript: boolean;
}): Promise<{ url: string | null; reason: string }> {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv) return { url: fromEnv, reason: 'DATABASE_URL' };
  if (!options.useEnsureScript) return { url: null, reason: 'DATABASE_URL is not set' };
  try {
    const { stdout } = await promisify(execFile)('bash', [ENSURE_SCRIPT], { timeout: 300_000 });
    const url = /^DATABASE_URL=(.+)$/m.exec(stdout)?.[1]?.trim();
    return url
      ? { url, reason: 'scripts/ensure-postgres.sh' }
      : { url: null, reason: 'ensure-postgres.sh printed no DATABASE_URL' };
  } catch (error) {
    return {
      url: null,
      reason: `ensure-postgres.sh failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
    };
  }
}

/** A new, empty database for one run, on the same server and credentials as `url`. */
export function createDatabase(url: string): Promise<FreshDatabase> {
  return freshDatabase(url, { prefix: 'wa_bench' });
}
