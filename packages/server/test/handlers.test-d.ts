import { describe, expectTypeOf, it } from 'vitest';
import type {
  ContactsApiHandlers,
  CheckContactsRequest,
  CheckContactsResponse,
  GetBlocklistRequest,
  GetIdentityRequest,
  BlockContactRequest,
} from '../src/index.js';

const meta = { api_status: 'stable', version: 'v2.45.1' } as const;

describe('handler requests', () => {
  it('carry the typed body, params and query of their operation', () => {
    expectTypeOf<CheckContactsRequest['body']['contacts']>().toEqualTypeOf<string[]>();
    expectTypeOf<CheckContactsRequest['body']['blocking']>().toEqualTypeOf<'no_wait' | 'wait' | undefined>();
    expectTypeOf<GetIdentityRequest['params']>().toEqualTypeOf<{ wa_id: string }>();
    expectTypeOf<GetBlocklistRequest['query']>().toEqualTypeOf<{ limit?: number; offset?: number }>();
    // The block body is optional in the spec.
    expectTypeOf<BlockContactRequest['body']>().toEqualTypeOf<{ reason?: string } | undefined>();
  });
});

describe('handler responses', () => {
  it('are the documented statuses only', () => {
    expectTypeOf<CheckContactsResponse['status']>().toEqualTypeOf<200 | 400 | 401 | 403 | 413 | 429 | 500>();
  });

  it('accept a body the spec allows', () => {
    const ok: CheckContactsResponse = {
      status: 200,
      body: {
        meta,
        contacts: [
          { input: '+1 631 555 1001', status: 'valid', wa_id: '16315551001' },
          { input: 'x', status: 'failed' },
        ],
      },
    };
    expectTypeOf(ok).toMatchTypeOf<CheckContactsResponse>();
  });

  it('reject shapes the spec does not allow', () => {
    // @ts-expect-error 201 is not a documented status of checkContacts
    const wrongStatus: CheckContactsResponse = { status: 201, body: { meta, contacts: [] } };
    const wrongEnum: CheckContactsResponse = {
      status: 200,
      // @ts-expect-error 'unknown' is not in the status enum
      body: { meta, contacts: [{ input: '1', status: 'unknown' }] },
    };
    const missingWaId: CheckContactsResponse = {
      status: 200,
      // @ts-expect-error a valid contact must carry its wa_id
      body: { meta, contacts: [{ input: '1', status: 'valid' }] },
    };
    // @ts-expect-error an error body needs the errors envelope, not a bare message
    const wrongError: CheckContactsResponse = { status: 400, body: { meta, message: 'bad' } };
    // @ts-expect-error meta is required on every response
    const missingMeta: CheckContactsResponse = { status: 200, body: { contacts: [] } };
    expectTypeOf([wrongStatus, wrongEnum, missingWaId, wrongError, missingMeta]).not.toBeNever();
  });

  it('make a handler that returns an undocumented shape fail to compile', () => {
    const handlers: Pick<ContactsApiHandlers, 'getApplicationSettings'> = {
      // @ts-expect-error settings.application.show_security_notifications must be a boolean
      async getApplicationSettings() {
        return { status: 200, body: { meta, settings: { application: { show_security_notifications: 'yes' } } } };
      },
    };
    expectTypeOf(handlers.getApplicationSettings).returns.resolves.toMatchTypeOf<{ status: 200 | 401 | 429 | 500 }>();
  });

  it('may answer without a promise, with the same checks', () => {
    const handlers: Pick<ContactsApiHandlers, 'checkContacts' | 'getApplicationSettings'> = {
      checkContacts: ({ body }) => ({
        status: 200,
        body: { meta, contacts: body.contacts.map((input) => ({ input, status: 'failed' as const })) },
      }),
      // @ts-expect-error settings.application.show_security_notifications must be a boolean
      getApplicationSettings: () => ({
        status: 200,
        body: { meta, settings: { application: { show_security_notifications: 'yes' } } },
      }),
    };
    expectTypeOf(handlers.checkContacts).returns.toEqualTypeOf<
      CheckContactsResponse | Promise<CheckContactsResponse>
    >();
  });
});
