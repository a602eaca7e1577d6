import { randomBytes } from 'node:crypto';

/**
 * Callback bodies in the shapes of the On-Premises API v2.45 webhook reference, which still
 * names the identity change `user_identity_changed` with `identity` and `user` (later Cloud API
 * versions say `customer_identity_changed` and `customer`). One event per callback.
 */
export interface Identity {
  acknowledged: boolean;
  created_timestamp: number;
  hash: string;
}

export interface TextMessage {
  from: string;
  id: string;
  timestamp: string;
  type: 'text';
  text: { body: string };
  identity?: Identity;
}

export interface SystemMessage {
  from: string;
  id: string;
  timestamp: string;
  type: 'system';
  system: { type: 'user_identity_changed'; identity: string; user: string };
}

export interface Status {
  id: string;
  recipient_id: string;
  status: 'sent' | 'delivered' | 'failed';
  timestamp: string;
  errors?: Array<{ code: number; title: string }>;
}

export type Callback =
  | { contacts: Array<{ profile: { name: string }; wa_id: string }>; messages: [TextMessage] }
  | { messages: [SystemMessage] }
  | { statuses: [Status] };

/** Meta's timestamps: seconds since the epoch, as a string. */
export const timestampOf = (ms: number): string => String(Math.floor(ms / 1000));

/** A message id in the style of WhatsApp's (opaque, URL-safe). */
export const newMessageId = (): string => `gBE${randomBytes(18).toString('base64url')}`;

export const IDENTITY_CHANGE_TITLE = 'Failed to send message since we detect an identity change of the contact';
