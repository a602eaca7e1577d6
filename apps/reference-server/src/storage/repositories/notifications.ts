import type { Database, Queryable } from '../database.js';
import { LISTENER_APPLICATION_NAME } from '../postgres-listener.js';

/** Notifies the listeners of channel (Database.listen) with payload when q's transaction commits; nothing on rollback. */
export async function notify(q: Queryable, channel: string, payload: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

/**
 * How many instances listen on this database (their listening connections), each of which
 * confirms what it is told; on PGlite none but this one, which applies its own changes itself.
 */
export async function countListeningInstances(db: Database): Promise<number> {
  if (db.kind === 'pglite') return 0;
  const rows = await db.query<{ n: number }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1 || '%'",
    [LISTENER_APPLICATION_NAME],
  );
  return rows[0]!.n;
}
