// Short names for the callback payloads, straight from the spec's webhooks document (v2.45.1).
import type { components } from '@wa-contacts/types/webhooks';

type Schemas = components['schemas'];

export type WebhookCallback = Schemas['WebhookCallback'];
export type WebhookMessagesCallback = Schemas['WebhookMessagesCallback'];
export type WebhookStatusesCallback = Schemas['WebhookStatusesCallback'];
export type WebhookErrorsCallback = Schemas['WebhookErrorsCallback'];
export type WebhookContact = Schemas['WebhookContact'];
export type WebhookMessage = Schemas['WebhookMessage'];
export type WebhookTextMessage = Schemas['WebhookTextMessage'];
export type WebhookSystemMessage = Schemas['WebhookSystemMessage'];
export type WebhookIdentityChanged = Schemas['WebhookIdentityChanged'];
export type WebhookNumberChanged = Schemas['WebhookNumberChanged'];
export type WebhookStatus = Schemas['WebhookStatus'];
export type WebhookStatusError = Schemas['WebhookStatusError'];
export type WebhookError = Schemas['WebhookError'];
