import type { Queryable } from '../../../src/storage/database.js';

/** Empties every table and resets the single-row ones, so tests can share one open database. */
export async function resetTables(q: Queryable): Promise<void> {
  await q.query(`TRUNCATE users, tokens, accounts, contact_checks, pending_checks,
    inbound_messages, blocks, reports, webhook_attempts, webhook_callbacks, webhook_queues, misuse_counts RESTART IDENTITY`);
  await q.query(`UPDATE app_settings SET application = '{}'::jsonb`);
  await q.query('UPDATE sandbox_clock SET offset_ms = 0');
}
