// Short names for the schemas the helpers take and return, straight from the contract.
import type { components } from '@wa-contacts/types';

type Schemas = components['schemas'];

export type Meta = Schemas['Meta'];
export type ErrorCode = Schemas['ErrorCode'];
export type ApiErrorObject = Schemas['Error'];
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
