// Short names for the schemas the helpers take and return, straight from the contract.
import type { components } from '@wa-contacts/types';
import type { components as SandboxComponents } from '@wa-contacts/types/sandbox';

type Schemas = components['schemas'];

export type Meta = Schemas['Meta'];
export type ErrorCode = Schemas['ErrorCode'];
export type ApiErrorObject = Schemas['Error'];
/** The codes of a refused send of the sandbox: 1009, 1013 (User is not valid, a code of the messages node) and 1028. */
export type SendErrorCode = SandboxComponents['schemas']['SendErrorResponse']['errors'][number]['code'];
/** Every code a WhatsAppApiError can carry: the node's ErrorCode, and the sandbox's send codes (1013). */
export type ApiErrorCode = ErrorCode | SendErrorCode;
/** An entry of the errors envelope of either document (the node's, or the sandbox's send). */
export type ApiErrorEntry = { [K in keyof ApiErrorObject]: K extends 'code' ? ApiErrorCode : ApiErrorObject[K] };
export type ErrorResponse = Schemas['ErrorResponse'];
export type LoginUser = Schemas['LoginResponse']['users'][number];
export type WaId = Schemas['WaId'];
export type PhoneNumber = Schemas['PhoneNumber'];
export type CheckContactsRequest = Schemas['CheckContactsRequest'];
export type ContactCheckResult = Schemas['ContactCheckResult'];
export type ResolvedContact = Schemas['ResolvedContact'];
export type UnresolvedContact = Schemas['UnresolvedContact'];
export type Identity = Schemas['Identity'];
export type IdentityHash = Schemas['IdentityHash'];
export type BlockedContact = Schemas['BlockedContact'];
export type Pagination = Schemas['Pagination'];
export type BlocklistPage = Pick<Schemas['BlocklistResponse'], 'contacts' | 'pagination'>;
export type ReportRequest = Schemas['ReportRequest'];
export type ApplicationSettings = Schemas['ApplicationSettings'];
export type ApplicationSettingsPatch = Schemas['ApplicationSettingsPatch'];
