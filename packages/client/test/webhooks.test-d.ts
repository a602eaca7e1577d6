import { describe, expectTypeOf, it } from 'vitest';
import {
  parseWebhook,
  type WebhookContact,
  type WebhookError,
  type WebhookEvent,
  type WebhookStatus,
  type WebhookTextMessage,
} from '../src/webhooks.js';

describe('WebhookEvent', () => {
  it('narrows on kind, and a system event on system.type', () => {
    const events = parseWebhook({});
    expectTypeOf(events).toEqualTypeOf<WebhookEvent[]>();
    const event = events[0]!;
    if (event.kind === 'message') {
      expectTypeOf(event.message).toEqualTypeOf<WebhookTextMessage>();
      expectTypeOf(event.contact).toEqualTypeOf<WebhookContact | undefined>();
    }
    if (event.kind === 'system' && event.system.type === 'user_identity_changed') {
      expectTypeOf(event.system.user).toEqualTypeOf<string>();
      expectTypeOf(event.system.identity).toEqualTypeOf<string>();
    }
    if (event.kind === 'system' && event.system.type === 'user_changed_number') {
      expectTypeOf(event.system.new_wa_id).toEqualTypeOf<string>();
    }
    if (event.kind === 'status') {
      expectTypeOf(event.status).toEqualTypeOf<WebhookStatus>();
      expectTypeOf(event.status.status).toEqualTypeOf<'sent' | 'delivered' | 'read' | 'failed' | 'deleted'>();
    }
    if (event.kind === 'error') expectTypeOf(event.error).toEqualTypeOf<WebhookError>();
  });
});
