// Generated from the bundled OpenAPI document by packages/server/scripts/generate.mjs.
// Do not edit: change the spec and run `pnpm generate`.

import type { operations } from '@wa-contacts/types';
import type { OperationRequest, OperationResponse } from '../operation.js';

/** PUT /v1/contacts/{wa_id}/identity: Acknowledge a user's identity change */
export type AcknowledgeIdentityRequest = OperationRequest<operations['acknowledgeIdentity']>;
/** PUT /v1/contacts/{wa_id}/identity: one of 200, 400, 401, 404, 413, 429, 500 */
export type AcknowledgeIdentityResponse = OperationResponse<operations['acknowledgeIdentity']>;

/** POST /v1/contacts/{phone_number}/block: Block a contact */
export type BlockContactRequest = OperationRequest<operations['blockContact']>;
/** POST /v1/contacts/{phone_number}/block: one of 200, 400, 401, 413, 429, 500 */
export type BlockContactResponse = OperationResponse<operations['blockContact']>;

/** POST /v1/contacts: Check phone numbers */
export type CheckContactsRequest = OperationRequest<operations['checkContacts']>;
/** POST /v1/contacts: one of 200, 400, 401, 403, 413, 429, 500 */
export type CheckContactsResponse = OperationResponse<operations['checkContacts']>;

/** GET /v1/settings/application: Get the application settings */
export type GetApplicationSettingsRequest = OperationRequest<operations['getApplicationSettings']>;
/** GET /v1/settings/application: one of 200, 401, 429, 500 */
export type GetApplicationSettingsResponse = OperationResponse<operations['getApplicationSettings']>;

/** GET /v1/contacts/blocklist: List blocked contacts */
export type GetBlocklistRequest = OperationRequest<operations['getBlocklist']>;
/** GET /v1/contacts/blocklist: one of 200, 400, 401, 429, 500 */
export type GetBlocklistResponse = OperationResponse<operations['getBlocklist']>;

/** GET /v1/contacts/{wa_id}/identity: Get a user's identity hash */
export type GetIdentityRequest = OperationRequest<operations['getIdentity']>;
/** GET /v1/contacts/{wa_id}/identity: one of 200, 400, 401, 404, 429, 500 */
export type GetIdentityResponse = OperationResponse<operations['getIdentity']>;

/** GET /v1/health: Check the health of the client */
export type HealthRequest = OperationRequest<operations['health']>;
/** GET /v1/health: one of 200, 401, 429, 500 */
export type HealthResponse = OperationResponse<operations['health']>;

/** POST /v1/users/login: Log in */
export type LoginRequest = OperationRequest<operations['login']>;
/** POST /v1/users/login: one of 200, 400, 401, 413, 429, 500 */
export type LoginResponse = OperationResponse<operations['login']>;

/** POST /v1/users/logout: Log out */
export type LogoutRequest = OperationRequest<operations['logout']>;
/** POST /v1/users/logout: one of 200, 401, 413, 429, 500 */
export type LogoutResponse = OperationResponse<operations['logout']>;

/** POST /v1/contacts/{phone_number}/report: Report a contact */
export type ReportContactRequest = OperationRequest<operations['reportContact']>;
/** POST /v1/contacts/{phone_number}/report: one of 200, 400, 401, 413, 429, 500 */
export type ReportContactResponse = OperationResponse<operations['reportContact']>;

/** DELETE /v1/settings/application: Reset the application settings */
export type ResetApplicationSettingsRequest = OperationRequest<operations['resetApplicationSettings']>;
/** DELETE /v1/settings/application: one of 200, 401, 429, 500 */
export type ResetApplicationSettingsResponse = OperationResponse<operations['resetApplicationSettings']>;

/** POST /v1/contacts/{phone_number}/unblock: Unblock a contact */
export type UnblockContactRequest = OperationRequest<operations['unblockContact']>;
/** POST /v1/contacts/{phone_number}/unblock: one of 200, 400, 401, 413, 429, 500 */
export type UnblockContactResponse = OperationResponse<operations['unblockContact']>;

/** PATCH /v1/settings/application: Update the application settings */
export type UpdateApplicationSettingsRequest = OperationRequest<operations['updateApplicationSettings']>;
/** PATCH /v1/settings/application: one of 200, 400, 401, 413, 429, 500 */
export type UpdateApplicationSettingsResponse = OperationResponse<operations['updateApplicationSettings']>;

/**
 * One handler per operationId. A handler returns one of the responses its operation
 * documents, so a shape the spec does not allow fails to compile. `Context` is whatever
 * the server passes along (the authenticated user, a logger...). A handler may answer
 * without a promise when it has nothing to wait for (a cached answer, say).
 */
export interface ContactsApiHandlers<Context = unknown> {
  /** PUT /v1/contacts/{wa_id}/identity: Acknowledge a user's identity change */
  acknowledgeIdentity(request: AcknowledgeIdentityRequest, context: Context): AcknowledgeIdentityResponse | Promise<AcknowledgeIdentityResponse>;
  /** POST /v1/contacts/{phone_number}/block: Block a contact */
  blockContact(request: BlockContactRequest, context: Context): BlockContactResponse | Promise<BlockContactResponse>;
  /** POST /v1/contacts: Check phone numbers */
  checkContacts(request: CheckContactsRequest, context: Context): CheckContactsResponse | Promise<CheckContactsResponse>;
  /** GET /v1/settings/application: Get the application settings */
  getApplicationSettings(request: GetApplicationSettingsRequest, context: Context): GetApplicationSettingsResponse | Promise<GetApplicationSettingsResponse>;
  /** GET /v1/contacts/blocklist: List blocked contacts */
  getBlocklist(request: GetBlocklistRequest, context: Context): GetBlocklistResponse | Promise<GetBlocklistResponse>;
  /** GET /v1/contacts/{wa_id}/identity: Get a user's identity hash */
  getIdentity(request: GetIdentityRequest, context: Context): GetIdentityResponse | Promise<GetIdentityResponse>;
  /** GET /v1/health: Check the health of the client */
  health(request: HealthRequest, context: Context): HealthResponse | Promise<HealthResponse>;
  /** POST /v1/users/login: Log in */
  login(request: LoginRequest, context: Context): LoginResponse | Promise<LoginResponse>;
  /** POST /v1/users/logout: Log out */
  logout(request: LogoutRequest, context: Context): LogoutResponse | Promise<LogoutResponse>;
  /** POST /v1/contacts/{phone_number}/report: Report a contact */
  reportContact(request: ReportContactRequest, context: Context): ReportContactResponse | Promise<ReportContactResponse>;
  /** DELETE /v1/settings/application: Reset the application settings */
  resetApplicationSettings(request: ResetApplicationSettingsRequest, context: Context): ResetApplicationSettingsResponse | Promise<ResetApplicationSettingsResponse>;
  /** POST /v1/contacts/{phone_number}/unblock: Unblock a contact */
  unblockContact(request: UnblockContactRequest, context: Context): UnblockContactResponse | Promise<UnblockContactResponse>;
  /** PATCH /v1/settings/application: Update the application settings */
  updateApplicationSettings(request: UpdateApplicationSettingsRequest, context: Context): UpdateApplicationSettingsResponse | Promise<UpdateApplicationSettingsResponse>;
}

/** Where each operation is mounted, how it authenticates and which statuses it documents. */
export const operationRoutes = {
  acknowledgeIdentity: { method: 'PUT', path: '/v1/contacts/{wa_id}/identity', security: ['bearerAuth'], statuses: [200, 400, 401, 404, 413, 429, 500] },
  blockContact: { method: 'POST', path: '/v1/contacts/{phone_number}/block', security: ['bearerAuth'], statuses: [200, 400, 401, 413, 429, 500] },
  checkContacts: { method: 'POST', path: '/v1/contacts', security: ['bearerAuth'], statuses: [200, 400, 401, 403, 413, 429, 500] },
  getApplicationSettings: { method: 'GET', path: '/v1/settings/application', security: ['bearerAuth'], statuses: [200, 401, 429, 500] },
  getBlocklist: { method: 'GET', path: '/v1/contacts/blocklist', security: ['bearerAuth'], statuses: [200, 400, 401, 429, 500] },
  getIdentity: { method: 'GET', path: '/v1/contacts/{wa_id}/identity', security: ['bearerAuth'], statuses: [200, 400, 401, 404, 429, 500] },
  health: { method: 'GET', path: '/v1/health', security: ['bearerAuth'], statuses: [200, 401, 429, 500] },
  login: { method: 'POST', path: '/v1/users/login', security: ['basicAuth'], statuses: [200, 400, 401, 413, 429, 500] },
  logout: { method: 'POST', path: '/v1/users/logout', security: ['bearerAuth'], statuses: [200, 401, 413, 429, 500] },
  reportContact: { method: 'POST', path: '/v1/contacts/{phone_number}/report', security: ['bearerAuth'], statuses: [200, 400, 401, 413, 429, 500] },
  resetApplicationSettings: { method: 'DELETE', path: '/v1/settings/application', security: ['bearerAuth'], statuses: [200, 401, 429, 500] },
  unblockContact: { method: 'POST', path: '/v1/contacts/{phone_number}/unblock', security: ['bearerAuth'], statuses: [200, 400, 401, 413, 429, 500] },
  updateApplicationSettings: { method: 'PATCH', path: '/v1/settings/application', security: ['bearerAuth'], statuses: [200, 400, 401, 413, 429, 500] },
} as const;

export type OperationId = keyof typeof operationRoutes;
