import type {
  WebhookCallback,
  WebhookContact,
  WebhookError,
  WebhookStatus,
  WebhookSystemMessage,
  WebhookTextMessage,
} from './schemas.js';

/** An inbound message a user wrote, with its sender's entry of `contacts` when the callback has one. */
export interface WebhookMessageEvent {
  kind: 'message';
  message: WebhookTextMessage;
  contact: WebhookContact | undefined;
}
/** A system message; narrow `system.type` to `user_identity_changed` or `user_changed_number`. */
export interface WebhookSystemEvent {
  kind: 'system';
  message: WebhookSystemMessage;
  system: WebhookSystemMessage['system'];
}
/** A status change of an outbound message (`failed` ones carry `status.errors`, 480 for an identity change). */
export interface WebhookStatusEvent {
  kind: 'status';
  status: WebhookStatus;
}
/** An error of the node not tied to one message. */
export interface WebhookErrorEvent {
  kind: 'error';
  error: WebhookError;
}
export type WebhookEvent = WebhookMessageEvent | WebhookSystemEvent | WebhookStatusEvent | WebhookErrorEvent;

/** The events of one callback, in the order of its arrays. */
export function eventsOf(callback: WebhookCallback): WebhookEvent[] {
  if ('messages' in callback) {
    const contacts = callback.contacts ?? [];
    return callback.messages.map((message): WebhookEvent => {
      if (message.type === 'system') return { kind: 'system', message, system: message.system };
      return { kind: 'message', message, contact: contacts.find((c) => c.wa_id === message.from) };
    });
  }
  if ('statuses' in callback) return callback.statuses.map((status) => ({ kind: 'status', status }));
  return callback.errors.map((error) => ({ kind: 'error', error }));
}
