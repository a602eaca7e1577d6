import { createServer, type Server, type ServerResponse } from 'node:http';
import type { ContactsClient } from '@wa-contacts/client';
import { parseWebhook, WebhookValidationError, type WebhookEvent } from '@wa-contacts/client/webhooks';
import { acknowledgeIdentityChange, type Acknowledgement } from './acknowledge.js';
import { BodyTooLarge, readBody } from './body.js';

export interface ReceiverOptions {
  /** The client the receiver acknowledges identity changes with (an admin or a user account). */
  contacts: ContactsClient;
  /** Called with each event of each valid callback, after the receiver handled it. */
  onEvent?: (event: WebhookEvent, acknowledgement?: Acknowledgement) => void;
}

/**
 * A receiver of the node's callbacks: acknowledges every user_identity_changed, then answers
 * 200. A body that is not a callback gets 400; a failed acknowledgement gets 500, so the node
 * sends the callback again later (only a 200 acknowledges a callback).
 */
export function createWebhookReceiver({ contacts, onEvent }: ReceiverOptions): Server {
  return createServer(async (request, response) => {
    if (request.method !== 'POST') return answer(response, 405, { error: 'callbacks are POSTed' });
    try {
      const events = parseWebhook(await readBody(request));
      for (const event of events) {
        const acknowledgement =
          event.kind === 'system' && event.system.type === 'user_identity_changed'
            ? await acknowledgeIdentityChange(contacts, event.system)
            : undefined;
        onEvent?.(event, acknowledgement);
      }
      answer(response, 200, { received: events.length });
    } catch (error) {
      if (error instanceof WebhookValidationError) return answer(response, 400, { error: error.message });
      if (error instanceof BodyTooLarge) return answer(response, 413, { error: error.message });
      answer(response, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
}

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
