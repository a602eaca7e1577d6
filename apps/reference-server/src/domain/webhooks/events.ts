import { insertCallback, notify, type AppSettings, type Queryable } from '../../storage/index.js';
import type { Callback } from './payloads.js';

/** Heard by every instance's deliverer when a callback is queued (payload unused). */
export const OUTBOX_CHANNEL = 'wa_contacts_outbox';

/**
 * Queues a callback about contact in tx, the transaction of its event: it exists exactly when
 * the event does. Nothing without a webhook URL.
 */
export async function queueCallback(
  tx: Queryable,
  settings: AppSettings,
  event: { contact: string; callback: Callback; now: number; instance: string },
): Promise<void> {
  if (!settings.webhooks.url) return;
  await insertCallback(tx, {
    contact: event.contact,
    payload: JSON.stringify(event.callback),
    now: event.now,
    memoryOwner: settings.callback_persist ? undefined : event.instance,
  });
  await notify(tx, OUTBOX_CHANNEL, '');
}
