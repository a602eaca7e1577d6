import { describe, expectTypeOf, it } from 'vitest';
import { createContactsClient } from '../src/index.js';
import {
  createSandboxClient,
  WhatsAppApiError,
  type ApiErrorCode,
  type components,
  type InboundMessage,
  type SandboxAccount,
  type SandboxClient,
  type SandboxReport,
} from '../src/sandbox.js';

const sandbox = createSandboxClient({ baseUrl: 'http://127.0.0.1:8080', token: 't' });

describe('createSandboxClient options', () => {
  it('takes the options of createContactsClient, or { from } alone', () => {
    const contacts = createContactsClient({
      baseUrl: 'http://127.0.0.1:8080',
      credentials: { username: 'admin', password: 'Str0ng-Passw0rd!' },
    });
    expectTypeOf(createSandboxClient({ from: contacts })).toEqualTypeOf<SandboxClient>();
    expectTypeOf(createSandboxClient({ from: sandbox })).toEqualTypeOf<SandboxClient>();
    createSandboxClient({
      baseUrl: 'http://127.0.0.1:8080',
      credentials: { username: 'admin', password: 'secret', newPassword: 'Str0ng-Passw0rd!' },
      fetch: (request) => fetch(request),
      headers: { 'X-Trace': 'abc' },
    });
    // @ts-expect-error from shares the other client's server: no baseUrl with it
    createSandboxClient({ from: contacts, baseUrl: 'http://127.0.0.1:8080' });
    // @ts-expect-error nor a token
    createSandboxClient({ from: contacts, token: 't' });
    // @ts-expect-error baseUrl is required without from
    createSandboxClient({ token: 't' });
    // @ts-expect-error from takes a client, not options
    createSandboxClient({ from: { baseUrl: 'http://127.0.0.1:8080' } });
  });
});

describe('sandbox helpers', () => {
  it('return typed results', () => {
    expectTypeOf(sandbox.registerAccount).returns.resolves.toEqualTypeOf<SandboxAccount>();
    expectTypeOf<SandboxAccount>().toEqualTypeOf<{
      wa_id: string;
      identity: { hash: string; created_timestamp: number; acknowledged: boolean };
    }>();
    expectTypeOf(sandbox.deleteAccount).returns.resolves.toBeVoid();
    expectTypeOf(sandbox.changeIdentity).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(sandbox.receiveMessage).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(sandbox.sendMessage).returns.resolves.toEqualTypeOf<'sent'>();
    expectTypeOf(sandbox.advanceClock).returns.resolves.toEqualTypeOf<number>();
    expectTypeOf(sandbox.listReports).returns.resolves.toEqualTypeOf<SandboxReport[]>();
    expectTypeOf<SandboxReport>().toEqualTypeOf<{
      wa_id: string;
      reason: string | null;
      block: boolean;
      reported_at: number;
      messages: { id: string; text: string; received_at: number }[];
    }>();
    expectTypeOf<InboundMessage>().toEqualTypeOf<{ from: string; text: string; id?: string; profile_name?: string }>();
  });

  it('refuse wrong arguments', () => {
    // @ts-expect-error options are camelCase
    void sandbox.registerAccount('16315551000', { identity_hash: 'UKD6Y/5SqDU=' });
    // @ts-expect-error text is required
    void sandbox.receiveMessage({ from: '16315551000' });
    // @ts-expect-error milliseconds, not a Date
    void sandbox.advanceClock(new Date());
    // @ts-expect-error the recipient is required
    void sandbox.sendMessage();
  });

  it('client.api is typed by the sandbox document', async () => {
    const { data, error } = await sandbox.api.POST('/sandbox/outbound', { body: { to: '+1 631 555 1000' } });
    if (data) expectTypeOf(data.status).toEqualTypeOf<'sent'>();
    // 400 is the send's own envelope (1009, 1013, 1028); 401, 413 and 500 the node's.
    if (error)
      expectTypeOf(error).toEqualTypeOf<
        components['schemas']['SendErrorResponse'] | components['schemas']['ErrorResponse']
      >();
    if (error) expectTypeOf(error.errors[0]!.code).toEqualTypeOf<ApiErrorCode>();
    // @ts-expect-error a route of the contacts document, not of the sandbox
    void sandbox.api.GET('/v1/settings/application');
  });

  it('WhatsAppApiError carries the send codes, 1013 included', () => {
    const check = (thrown: unknown) => {
      if (!(thrown instanceof WhatsAppApiError)) return;
      expectTypeOf(thrown.code).toEqualTypeOf<ApiErrorCode | undefined>();
      if (thrown.code === 1013) expectTypeOf(thrown.code).toEqualTypeOf<1013>();
    };
    void check;
  });
});
