import type { Client } from 'openapi-fetch';
import type { paths } from '@wa-contacts/types';
import { expectData } from '../result.js';
import type { CheckContactsRequest, ContactCheckResult } from '../schemas.js';

export interface CheckContactsOptions {
  /** true: `blocking: wait`, every entry comes back final; false: `no_wait`. Unset: the server's default (`no_wait`). */
  wait?: boolean;
  /** Bypass the server's 7-day contact cache. Unset: the server's default (false). */
  forceCheck?: boolean;
}

export interface ContactsOperations {
  /** POST /v1/contacts: one result per number, in the order sent. */
  checkContacts(numbers: string[], options?: CheckContactsOptions): Promise<ContactCheckResult[]>;
}

export function contactsOperations(api: Client<paths>): ContactsOperations {
  return {
    async checkContacts(numbers, { wait, forceCheck } = {}) {
      // Fields the caller left unset are omitted so the server's defaults apply. The generated
      // type marks defaulted fields as required (openapi-typescript), hence the cast.
      const body = {
        contacts: numbers,
        ...(wait === undefined ? {} : { blocking: wait ? 'wait' : 'no_wait' }),
        ...(forceCheck === undefined ? {} : { force_check: forceCheck }),
      } as CheckContactsRequest;
      return expectData(api.POST('/v1/contacts', { body }), (data) => data.contacts);
    },
  };
}
