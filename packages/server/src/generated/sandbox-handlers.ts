// Generated from the bundled OpenAPI document by packages/server/scripts/generate.mjs.
// Do not edit: change the spec and run `pnpm generate`.

import type { operations } from '@wa-contacts/types/sandbox';
import type { OperationRequest, OperationResponse } from '../operation.js';

/** POST /sandbox/clock: Move the server's clock forward */
export type AdvanceClockRequest = OperationRequest<operations['advanceClock']>;
/** POST /sandbox/clock: one of 200, 400, 401, 413, 500 */
export type AdvanceClockResponse = OperationResponse<operations['advanceClock']>;

/** POST /sandbox/accounts/{wa_id}/identity-change: Change a user's identity keys */
export type ChangeIdentityRequest = OperationRequest<operations['changeIdentity']>;
/** POST /sandbox/accounts/{wa_id}/identity-change: one of 200, 400, 401, 404, 500 */
export type ChangeIdentityResponse = OperationResponse<operations['changeIdentity']>;

/** DELETE /sandbox/accounts/{wa_id}: Take a number off WhatsApp */
export type DeleteAccountRequest = OperationRequest<operations['deleteAccount']>;
/** DELETE /sandbox/accounts/{wa_id}: one of 200, 400, 401, 404, 500 */
export type DeleteAccountResponse = OperationResponse<operations['deleteAccount']>;

/** GET /sandbox/snapshot: Export the whole state as JSON */
export type ExportSnapshotRequest = OperationRequest<operations['exportSnapshot']>;
/** GET /sandbox/snapshot: one of 200, 401, 500 */
export type ExportSnapshotResponse = OperationResponse<operations['exportSnapshot']>;

/** GET /sandbox/misuse: Where the business stands with Meta's misuse rule */
export type GetMisuseRequest = OperationRequest<operations['getMisuse']>;
/** GET /sandbox/misuse: one of 200, 401, 500 */
export type GetMisuseResponse = OperationResponse<operations['getMisuse']>;

/** POST /sandbox/faults: Make the next calls of an operation fail */
export type InjectFaultRequest = OperationRequest<operations['injectFault']>;
/** POST /sandbox/faults: one of 200, 400, 401, 413, 500 */
export type InjectFaultResponse = OperationResponse<operations['injectFault']>;

/** GET /sandbox/reports: The reports WhatsApp received */
export type ListReportsRequest = OperationRequest<operations['listReports']>;
/** GET /sandbox/reports: one of 200, 401, 500 */
export type ListReportsResponse = OperationResponse<operations['listReports']>;

/** GET /sandbox/webhooks: The webhook delivery log */
export type ListWebhookCallbacksRequest = OperationRequest<operations['listWebhookCallbacks']>;
/** GET /sandbox/webhooks: one of 200, 400, 401, 500 */
export type ListWebhookCallbacksResponse = OperationResponse<operations['listWebhookCallbacks']>;

/** POST /sandbox/inbound: A user writes to the business */
export type ReceiveMessageRequest = OperationRequest<operations['receiveMessage']>;
/** POST /sandbox/inbound: one of 200, 400, 401, 404, 413, 500 */
export type ReceiveMessageResponse = OperationResponse<operations['receiveMessage']>;

/** POST /sandbox/webhooks/{id}/redeliver: Send a callback again */
export type RedeliverWebhookCallbackRequest = OperationRequest<operations['redeliverWebhookCallback']>;
/** POST /sandbox/webhooks/{id}/redeliver: one of 200, 400, 401, 404, 500 */
export type RedeliverWebhookCallbackResponse = OperationResponse<operations['redeliverWebhookCallback']>;

/** DELETE /sandbox/rate-limits: Refill every operation's rate-limit bucket */
export type RefillRateLimitsRequest = OperationRequest<operations['refillRateLimits']>;
/** DELETE /sandbox/rate-limits: one of 200, 401, 500 */
export type RefillRateLimitsResponse = OperationResponse<operations['refillRateLimits']>;

/** PUT /sandbox/accounts/{wa_id}: Give a number a WhatsApp account */
export type RegisterAccountRequest = OperationRequest<operations['registerAccount']>;
/** PUT /sandbox/accounts/{wa_id}: one of 200, 400, 401, 404, 413, 500 */
export type RegisterAccountResponse = OperationResponse<operations['registerAccount']>;

/** DELETE /sandbox/misuse: Forget the counts and lift a warning or a disabled number */
export type ResetMisuseRequest = OperationRequest<operations['resetMisuse']>;
/** DELETE /sandbox/misuse: one of 200, 401, 500 */
export type ResetMisuseResponse = OperationResponse<operations['resetMisuse']>;

/** PUT /sandbox/snapshot: Replace the whole state with a snapshot */
export type RestoreSnapshotRequest = OperationRequest<operations['restoreSnapshot']>;
/** PUT /sandbox/snapshot: one of 200, 400, 401, 413, 500 */
export type RestoreSnapshotResponse = OperationResponse<operations['restoreSnapshot']>;

/** POST /sandbox/outbound: The business sends a message */
export type SendMessageRequest = OperationRequest<operations['sendMessage']>;
/** POST /sandbox/outbound: one of 200, 400, 401, 403, 413, 500 */
export type SendMessageResponse = OperationResponse<operations['sendMessage']>;

/**
 * One handler per operationId. A handler returns one of the responses its operation
 * documents, so a shape the spec does not allow fails to compile. `Context` is whatever
 * the server passes along (the authenticated user, a logger...). A handler may answer
 * without a promise when it has nothing to wait for (a cached answer, say).
 */
export interface SandboxApiHandlers<Context = unknown> {
  /** POST /sandbox/clock: Move the server's clock forward */
  advanceClock(request: AdvanceClockRequest, context: Context): AdvanceClockResponse | Promise<AdvanceClockResponse>;
  /** POST /sandbox/accounts/{wa_id}/identity-change: Change a user's identity keys */
  changeIdentity(request: ChangeIdentityRequest, context: Context): ChangeIdentityResponse | Promise<ChangeIdentityResponse>;
  /** DELETE /sandbox/accounts/{wa_id}: Take a number off WhatsApp */
  deleteAccount(request: DeleteAccountRequest, context: Context): DeleteAccountResponse | Promise<DeleteAccountResponse>;
  /** GET /sandbox/snapshot: Export the whole state as JSON */
  exportSnapshot(request: ExportSnapshotRequest, context: Context): ExportSnapshotResponse | Promise<ExportSnapshotResponse>;
  /** GET /sandbox/misuse: Where the business stands with Meta's misuse rule */
  getMisuse(request: GetMisuseRequest, context: Context): GetMisuseResponse | Promise<GetMisuseResponse>;
  /** POST /sandbox/faults: Make the next calls of an operation fail */
  injectFault(request: InjectFaultRequest, context: Context): InjectFaultResponse | Promise<InjectFaultResponse>;
  /** GET /sandbox/reports: The reports WhatsApp received */
  listReports(request: ListReportsRequest, context: Context): ListReportsResponse | Promise<ListReportsResponse>;
  /** GET /sandbox/webhooks: The webhook delivery log */
  listWebhookCallbacks(request: ListWebhookCallbacksRequest, context: Context): ListWebhookCallbacksResponse | Promise<ListWebhookCallbacksResponse>;
  /** POST /sandbox/inbound: A user writes to the business */
  receiveMessage(request: ReceiveMessageRequest, context: Context): ReceiveMessageResponse | Promise<ReceiveMessageResponse>;
  /** POST /sandbox/webhooks/{id}/redeliver: Send a callback again */
  redeliverWebhookCallback(request: RedeliverWebhookCallbackRequest, context: Context): RedeliverWebhookCallbackResponse | Promise<RedeliverWebhookCallbackResponse>;
  /** DELETE /sandbox/rate-limits: Refill every operation's rate-limit bucket */
  refillRateLimits(request: RefillRateLimitsRequest, context: Context): RefillRateLimitsResponse | Promise<RefillRateLimitsResponse>;
  /** PUT /sandbox/accounts/{wa_id}: Give a number a WhatsApp account */
  registerAccount(request: RegisterAccountRequest, context: Context): RegisterAccountResponse | Promise<RegisterAccountResponse>;
  /** DELETE /sandbox/misuse: Forget the counts and lift a warning or a disabled number */
  resetMisuse(request: ResetMisuseRequest, context: Context): ResetMisuseResponse | Promise<ResetMisuseResponse>;
  /** PUT /sandbox/snapshot: Replace the whole state with a snapshot */
  restoreSnapshot(request: RestoreSnapshotRequest, context: Context): RestoreSnapshotResponse | Promise<RestoreSnapshotResponse>;
  /** POST /sandbox/outbound: The business sends a message */
  sendMessage(request: SendMessageRequest, context: Context): SendMessageResponse | Promise<SendMessageResponse>;
}

/** Where each operation is mounted, how it authenticates and which statuses it documents. */
export const sandboxRoutes = {
  advanceClock: { method: 'POST', path: '/sandbox/clock', security: ['bearerAuth'], statuses: [200, 400, 401, 413, 500] },
  changeIdentity: { method: 'POST', path: '/sandbox/accounts/{wa_id}/identity-change', security: ['bearerAuth'], statuses: [200, 400, 401, 404, 500] },
  deleteAccount: { method: 'DELETE', path: '/sandbox/accounts/{wa_id}', security: ['bearerAuth'], statuses: [200, 400, 401, 404, 500] },
  exportSnapshot: { method: 'GET', path: '/sandbox/snapshot', security: ['bearerAuth'], statuses: [200, 401, 500] },
  getMisuse: { method: 'GET', path: '/sandbox/misuse', security: ['bearerAuth'], statuses: [200, 401, 500] },
  injectFault: { method: 'POST', path: '/sandbox/faults', security: ['bearerAuth'], statuses: [200, 400, 401, 413, 500] },
  listReports: { method: 'GET', path: '/sandbox/reports', security: ['bearerAuth'], statuses: [200, 401, 500] },
  listWebhookCallbacks: { method: 'GET', path: '/sandbox/webhooks', security: ['bearerAuth'], statuses: [200, 400, 401, 500] },
  receiveMessage: { method: 'POST', path: '/sandbox/inbound', security: ['bearerAuth'], statuses: [200, 400, 401, 404, 413, 500] },
  redeliverWebhookCallback: { method: 'POST', path: '/sandbox/webhooks/{id}/redeliver', security: ['bearerAuth'], statuses: [200, 400, 401, 404, 500] },
  refillRateLimits: { method: 'DELETE', path: '/sandbox/rate-limits', security: ['bearerAuth'], statuses: [200, 401, 500] },
  registerAccount: { method: 'PUT', path: '/sandbox/accounts/{wa_id}', security: ['bearerAuth'], statuses: [200, 400, 401, 404, 413, 500] },
  resetMisuse: { method: 'DELETE', path: '/sandbox/misuse', security: ['bearerAuth'], statuses: [200, 401, 500] },
  restoreSnapshot: { method: 'PUT', path: '/sandbox/snapshot', security: ['bearerAuth'], statuses: [200, 400, 401, 413, 500] },
  sendMessage: { method: 'POST', path: '/sandbox/outbound', security: ['bearerAuth'], statuses: [200, 400, 401, 403, 413, 500] },
} as const;

export type SandboxOperationId = keyof typeof sandboxRoutes;
