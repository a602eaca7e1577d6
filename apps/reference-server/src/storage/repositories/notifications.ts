import type { Queryable } from '../database.js';

/** Notifies the listeners of channel (Database.listen) with payload when q's transaction commits; nothing on rollback. */
export async function notify(q: Queryable, channel: string, payload: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
