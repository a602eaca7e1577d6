// @wa-contacts/client/webhooks: typed parsing of the callbacks the node POSTs to `webhooks.url`,
// with a precompiled validator of the spec's schema (kept out of the main entry's size).
export { parseWebhook, type ParseWebhookOptions } from './webhooks/parse.js';
export { WebhookValidationError, type WebhookIssue } from './webhooks/errors.js';
export { isWebhookCallback } from './webhooks/validator.js';
export type {
  WebhookErrorEvent,
  WebhookEvent,
  WebhookMessageEvent,
  WebhookStatusEvent,
  WebhookSystemEvent,
} from './webhooks/events.js';
export type * from './webhooks/schemas.js';
export type { components, webhooks } from '@wa-contacts/types/webhooks';
