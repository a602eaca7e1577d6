import type { Queryable } from '../database.js';

export interface AppSettings {
  showSecurityNotifications: boolean;
}

const COLUMNS = 'show_security_notifications AS "showSecurityNotifications"';

export async function getSettings(q: Queryable): Promise<AppSettings> {
  const rows = await q.query<AppSettings>(`SELECT ${COLUMNS} FROM app_settings WHERE id = 1`);
  return rows[0]!; // the migration inserts the single row
}

/** Changes the given fields only; returns the settings after the change. */
export async function updateSettings(q: Queryable, patch: Partial<AppSettings>): Promise<AppSettings> {
  const rows = await q.query<AppSettings>(
    `UPDATE app_settings SET show_security_notifications = COALESCE($1, show_security_notifications)
     WHERE id = 1 RETURNING ${COLUMNS}`,
    [patch.showSecurityNotifications ?? null],
  );
  return rows[0]!;
}
