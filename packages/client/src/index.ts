export { createContactsClient } from './client.js';
export type { ContactsClient, ContactsClientOptions } from './client.js';
export type { Credentials } from './auth/session.js';
export { WhatsAppApiError } from './errors.js';
export type { CheckContactsOptions } from './operations/contacts.js';
export type { BlockOptions, ReportOptions, BlocklistQuery } from './operations/blocking.js';
export type { BlocklistIterationOptions } from './operations/blocklist-pages.js';
export type * from './schemas.js';
export type { paths, components, operations } from '@wa-contacts/types';
