import type { Client } from 'openapi-fetch';
import type { paths } from '@wa-contacts/types';
import { expectData, expectOk } from '../result.js';
import type { BlockedContact, BlocklistPage, PhoneNumber } from '../schemas.js';
import { blocklistPages, type BlocklistIterationOptions } from './blocklist-pages.js';
import { pathSegment } from './path-segment.js';

export interface BlockOptions {
  /** Shown to the blocked account; at most 59 characters. */
  reason?: string;
}

export interface ReportOptions {
  reason?: string;
  /** Also block the contact. Unset: the server's default (false). */
  block?: boolean;
  /** The message to report; unset, the contact's last 5 inbound messages are reported. */
  messageId?: string;
}

export interface BlocklistQuery {
  /** Page size, 0 to 200; unset: the server's default (100). */
  limit?: number;
  offset?: number;
}

export interface BlockingOperations {
  /** POST /v1/contacts/{phone_number}/block. The contact must have messaged in the last 24 hours (2048 otherwise). */
  blockContact(phoneNumber: PhoneNumber, options?: BlockOptions): Promise<void>;
  /** POST /v1/contacts/{phone_number}/unblock. */
  unblockContact(phoneNumber: PhoneNumber): Promise<void>;
  /** POST /v1/contacts/{phone_number}/report. The contact must have messaged in the last 24 hours (2048 otherwise). */
  reportContact(phoneNumber: PhoneNumber, options?: ReportOptions): Promise<void>;
  /** GET /v1/contacts/blocklist: one page and the total. */
  getBlocklist(query?: BlocklistQuery): Promise<BlocklistPage>;
  /** Every blocked contact, fetching page after page. */
  blocklist(options?: BlocklistIterationOptions): AsyncGenerator<BlockedContact, void, undefined>;
}

// Phone numbers go in the path as typed ("+1 (631) 555-1004"); openapi-fetch percent-encodes them.
// Unset options stay undefined in the bodies: JSON leaves them out, so the server's defaults apply.
const path = (phoneNumber: PhoneNumber) => ({ path: { phone_number: pathSegment(phoneNumber, 'phoneNumber') } });

export function blockingOperations(api: Client<paths>): BlockingOperations {
  const getBlocklist: BlockingOperations['getBlocklist'] = async (query = {}) =>
    expectData(api.GET('/v1/contacts/blocklist', { params: { query } }), ({ contacts, pagination }) =>
      contacts && pagination ? { contacts, pagination } : undefined,
    );

  return {
    async blockContact(phoneNumber, { reason } = {}) {
      return expectOk(api.POST('/v1/contacts/{phone_number}/block', { params: path(phoneNumber), body: { reason } }));
    },
    async unblockContact(phoneNumber) {
      return expectOk(api.POST('/v1/contacts/{phone_number}/unblock', { params: path(phoneNumber) }));
    },
    async reportContact(phoneNumber, { reason, block, messageId } = {}) {
      return expectOk(
        api.POST('/v1/contacts/{phone_number}/report', {
          params: path(phoneNumber),
          body: { reason, block, message_id: messageId },
        }),
      );
    },
    getBlocklist,
    blocklist: (options) => blocklistPages(getBlocklist, options),
  };
}
