import type { components } from '@wa-contacts/types';
import type { Queryable } from '../database.js';
import { notify } from './notifications.js';

type Schemas = components['schemas'];
/** The settings as GET answers them, but for the read-only wa_id (the server's configuration). */
export type AppSettings = Omit<Schemas['ApplicationSettings'], 'wa_id'>;
export type AppSettingsPatch = Schemas['ApplicationSettingsPatch'];

/** Notified on every change of the settings, so that instances keeping them in memory read them again. */
export const SETTINGS_CHANNEL = 'app_settings';

/** Meta's defaults (webhooks.md); show_security_notifications is not published and is off here. */
export const DEFAULT_SETTINGS: AppSettings = {
  webhooks: { max_concurrent_requests: 6, message: { sent: true, delivered: true, read: false } },
  callback_persist: true,
  callback_backoff_delay_ms: 3000,
  max_callback_backoff_delay_ms: 900_000,
  sent_status: false,
  show_security_notifications: false,
  notify_user_change_number: true,
  heartbeat_interval: 5,
  unhealthy_interval: 30,
  media: { auto_download: ['audio', 'document', 'image', 'sticker', 'video', 'voice'] },
  pass_through: false,
  garbagecollector_enable: { media: false, messages: true },
};

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge field by field; anything else (arrays included) replaces; "" unsets (webhooks.url, on_call_pager). */
export function mergeSettings(base: Doc, patch: Doc): Doc {
  const out: Doc = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === '') delete out[key];
    else if (isObject(value)) out[key] = mergeSettings(isObject(out[key]) ? out[key] : {}, value);
    else out[key] = value;
  }
  return out;
}

const withDefaults = (changed: Doc) => mergeSettings(DEFAULT_SETTINGS as unknown as Doc, changed) as AppSettings;

export async function getSettings(q: Queryable): Promise<AppSettings> {
  const rows = await q.query<{ application: Doc }>('SELECT application FROM app_settings WHERE id = 1');
  return withDefaults(rows[0]!.application); // the migration inserts the single row
}

/** Changes the given fields only; returns the settings after the change. Run it in a transaction. */
export async function updateSettings(tx: Queryable, patch: AppSettingsPatch): Promise<AppSettings> {
  // The row lock makes simultaneous PATCHes of different fields keep each other's changes.
  const rows = await tx.query<{ application: Doc }>('SELECT application FROM app_settings WHERE id = 1 FOR UPDATE');
  const changed = mergeSettings(rows[0]!.application, patch as Doc);
  await tx.query('UPDATE app_settings SET application = $1::jsonb WHERE id = 1', [JSON.stringify(changed)]);
  await notify(tx, SETTINGS_CHANNEL, '');
  return withDefaults(changed);
}

export async function resetSettings(q: Queryable): Promise<AppSettings> {
  await q.query(`UPDATE app_settings SET application = '{}'::jsonb WHERE id = 1`);
  await notify(q, SETTINGS_CHANNEL, '');
  return withDefaults({});
}
