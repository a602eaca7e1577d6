import type { ContactsClient } from '@wa-contacts/client';
import type { WebhookIdentityChanged } from '@wa-contacts/client/webhooks';

export interface Acknowledgement {
  user: string;
  /** The hash acknowledged: the user's latest, read back from the node. */
  hash: string;
  /** False when the node already knows a newer identity than the callback's. */
  matchesCallback: boolean;
}

/**
 * Acknowledges a user_identity_changed: reads the user's latest identity (GET), then
 * acknowledges that hash (PUT), since the node accepts only the latest one.
 */
export async function acknowledgeIdentityChange(
  contacts: ContactsClient,
  change: WebhookIdentityChanged,
): Promise<Acknowledgement> {
  const identity = await contacts.getIdentity(change.user);
  if (!identity.acknowledged) await contacts.acknowledgeIdentity(change.user, identity.hash);
  return { user: change.user, hash: identity.hash, matchesCallback: identity.hash === change.identity };
}
