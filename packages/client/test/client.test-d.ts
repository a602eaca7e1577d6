import { describe, expectTypeOf, it } from 'vitest';
import {
  createContactsClient,
  type ApiErrorCode,
  type ApiErrorEntry,
  WhatsAppApiError,
  type ApplicationSettings,
  type BlockedContact,
  type BlocklistPage,
  type CheckContactsRequest,
  type ContactCheckResult,
  type ErrorCode,
  type Identity,
  type LoginUser,
  type ReportRequest,
  type components,
} from '../src/index.js';

const client = createContactsClient({ baseUrl: 'http://127.0.0.1:4010', token: 't' });

describe('client.api (openapi-fetch)', () => {
  it('narrows data and error on each other', async () => {
    const { data, error } = await client.api.POST('/v1/contacts', {
      body: { contacts: ['16315551000'], blocking: 'wait', force_check: false },
    });
    if (error === undefined) {
      expectTypeOf(data).toEqualTypeOf<components['schemas']['CheckContactsResponse']>();
    } else {
      expectTypeOf(data).toBeUndefined();
      expectTypeOf(error).toEqualTypeOf<components['schemas']['ErrorResponse']>();
      expectTypeOf(error.errors[0]!.code).toEqualTypeOf<ErrorCode>();
    }
    if (data) expectTypeOf(error).toBeUndefined();
  });

  it('leaves the fields that have a server default optional (types generated with --default-non-nullable false)', () => {
    const contacts = ['16315551000', '+1 631 555 1001'];
    void client.api.POST('/v1/contacts', { body: { contacts } });
    void client.api.POST('/v1/contacts', { body: { contacts, blocking: 'wait' } });
    void client.api.POST('/v1/contacts', { body: { contacts, force_check: true } });
    void client.api.POST('/v1/contacts/{phone_number}/report', {
      params: { path: { phone_number: '+16315551000' } },
      body: {},
    });
    void client.api.POST('/v1/contacts/{phone_number}/report', {
      params: { path: { phone_number: '+16315551000' } },
      body: { reason: 'Sends spam' },
    });
    expectTypeOf<CheckContactsRequest>().toEqualTypeOf<{
      contacts: string[];
      blocking?: 'no_wait' | 'wait';
      force_check?: boolean;
    }>();
    expectTypeOf<ReportRequest['block']>().toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error contacts has no default: it stays required
    void client.api.POST('/v1/contacts', { body: { blocking: 'wait' } });
  });

  it('checks request bodies and paths', () => {
    // @ts-expect-error 'sometimes' is not a blocking value
    void client.api.POST('/v1/contacts', { body: { contacts: ['1'], blocking: 'sometimes' } });
    // @ts-expect-error the path parameter is required
    void client.api.POST('/v1/contacts/{phone_number}/block', { body: {} });
    // @ts-expect-error no such route
    void client.api.GET('/v1/contacts/everyone');
  });
});

describe('helpers', () => {
  it('return typed results', () => {
    expectTypeOf(client.checkContacts).returns.resolves.toEqualTypeOf<ContactCheckResult[]>();
    expectTypeOf(client.getIdentity).returns.resolves.toEqualTypeOf<Identity>();
    expectTypeOf(client.getIdentity('1')).resolves.toHaveProperty('created_timestamp').toEqualTypeOf<number>();
    expectTypeOf(client.acknowledgeIdentity).returns.resolves.toBeVoid();
    expectTypeOf(client.blockContact).returns.resolves.toBeVoid();
    expectTypeOf(client.unblockContact).returns.resolves.toBeVoid();
    expectTypeOf(client.reportContact).returns.resolves.toBeVoid();
    expectTypeOf(client.getBlocklist).returns.resolves.toEqualTypeOf<BlocklistPage>();
    expectTypeOf(client.getBlocklist())
      .resolves.toHaveProperty('pagination')
      .toEqualTypeOf<{ limit: number; offset: number; total: number }>();
    expectTypeOf(client.blocklist()).toEqualTypeOf<AsyncGenerator<BlockedContact, void, undefined>>();
    expectTypeOf(client.getApplicationSettings).returns.resolves.toEqualTypeOf<ApplicationSettings>();
    expectTypeOf(client.updateApplicationSettings).returns.resolves.toBeVoid();
    expectTypeOf(client.login).returns.resolves.toEqualTypeOf<LoginUser>();
    expectTypeOf(client.logout).parameters.toEqualTypeOf<[]>();
    expectTypeOf(client.logout).returns.resolves.toBeVoid();
    expectTypeOf<LoginUser>().toEqualTypeOf<{ token: string; expires_after: string }>();
  });

  it('check results narrow on status', async () => {
    const [result] = await client.checkContacts(['16315551000']);
    if (!result) return;
    if (result.status === 'valid' || result.status === 'processing') {
      expectTypeOf(result.wa_id).toEqualTypeOf<string>();
    } else {
      expectTypeOf(result.status).toEqualTypeOf<'invalid' | 'failed'>();
      expectTypeOf(result).not.toHaveProperty('wa_id');
      // @ts-expect-error invalid and failed entries have no wa_id
      void result.wa_id;
    }
    if (result.status === 'failed') expectTypeOf(result).toEqualTypeOf<components['schemas']['UnresolvedContact']>();
    if (result.status === 'valid') expectTypeOf(result).toEqualTypeOf<components['schemas']['ResolvedContact']>();
  });

  it('refuse wrong arguments', () => {
    // @ts-expect-error the numbers are required
    void client.checkContacts();
    // @ts-expect-error wait is a boolean, not the wire value
    void client.checkContacts(['1'], { wait: 'wait' });
    // @ts-expect-error options are camelCase
    void client.checkContacts(['1'], { force_check: true });
    // @ts-expect-error the hash is required
    void client.acknowledgeIdentity('16315553601');
    // @ts-expect-error the phone number is required
    void client.unblockContact();
    // @ts-expect-error options are camelCase
    void client.reportContact('1', { message_id: 'x' });
    // @ts-expect-error not a setting
    void client.updateApplicationSettings({ show_everything: true });
    // @ts-expect-error baseUrl is required
    createContactsClient({ token: 't' });
  });
});

describe('WhatsAppApiError', () => {
  it('exposes the envelope fields', () => {
    const error = new WhatsAppApiError(new Response(null, { status: 500 }), undefined);
    expectTypeOf(error).toMatchTypeOf<Error>();
    expectTypeOf(error.status).toEqualTypeOf<number>();
    // The node's codes, and 1013 (User is not valid) that the sandbox's sendMessage can throw.
    expectTypeOf(error.code).toEqualTypeOf<ErrorCode | 1013 | undefined>();
    expectTypeOf<ApiErrorCode>().toEqualTypeOf<
      1005 | 1006 | 1008 | 1009 | 1013 | 1014 | 1015 | 1024 | 1028 | 1031 | 2048
    >();
    expectTypeOf(error.title).toEqualTypeOf<string | undefined>();
    expectTypeOf(error.errors).toEqualTypeOf<ApiErrorEntry[]>();
    expectTypeOf(error.errors[0]!).toEqualTypeOf<{
      code: ApiErrorCode;
      title: string;
      details: string;
      href?: string;
    }>();
    expectTypeOf(error.response).toEqualTypeOf<Response>();
  });

  it('narrows on code', () => {
    const check = (thrown: unknown) => {
      if (!(thrown instanceof WhatsAppApiError)) return;
      expectTypeOf(thrown.code).toEqualTypeOf<ApiErrorCode | undefined>();
      if (thrown.code === 2048) expectTypeOf(thrown.code).toEqualTypeOf<2048>();
      // @ts-expect-error not a code of either document
      if (thrown.code === 4242) return;
    };
    void check;
  });
});
