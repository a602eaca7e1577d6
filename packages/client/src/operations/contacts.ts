import type { Client } from 'openapi-fetch';
import type { paths } from '@wa-contacts/types';
import { expectData } from '../result.js';
import type { ContactCheckResult } from '../schemas.js';

export interface CheckContactsOptions {
  /** true: `blocking: wait`, every entry comes back final; false: `no_wait`. Unset: the server's default (`no_wait`). */
  wait?: boolean;
  /** Bypass the server's 7-day contact cache. Unset: the server's default (false). */
  forceCheck?: boolean;
  /** Stops the request (and its retries) when it aborts. */
  signal?: AbortSignal;
}

export interface ContactsOperations {
  /** POST /v1/contacts: one result per number, in the order sent. */
  checkContacts(numbers: string[], options?: CheckContactsOptions): Promise<ContactCheckResult[]>;
}

export function contactsOperations(api: Client<paths>): ContactsOperations {
  return {
    async checkContacts(numbers, { wait, forceCheck, signal } = {}) {
      // Unset options stay undefined, which JSON leaves out, so the server's defaults apply.
      const blocking = wait === undefined ? undefined : wait ? 'wait' : 'no_wait';
      return expectData(
        api.POST('/v1/contacts', {
          body: { contacts: numbers, blocking, force_check: forceCheck },
          ...(signal ? { signal } : {}),
        }),
        (data) => data.contacts,
      );
    },
  };
}
