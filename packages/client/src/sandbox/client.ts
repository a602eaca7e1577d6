import createClient, { type Client } from 'openapi-fetch';
import type { paths as ContactsPaths } from '@wa-contacts/types';
import type { paths } from '@wa-contacts/types/sandbox';
import { connectionOf, transportOf, withConnection, type Connection } from '../auth/connection.js';
import { authMiddleware } from '../auth/middleware.js';
import { createSession, type Credentials } from '../auth/session.js';
import type { ContactsClient, ContactsClientOptions } from '../client.js';
import { pathSegment } from '../operations/path-segment.js';
import { expectData, expectOk } from '../result.js';
import type { IdentityHash, LoginUser, PhoneNumber, WaId } from '../schemas.js';
import type { InboundMessage, MisuseStatus, SandboxAccount, SandboxReport, SandboxSnapshot } from './schemas.js';

type Never<T> = { [K in keyof T]?: never };

/** A client of its own: the same options as createContactsClient. */
export type StandaloneSandboxOptions = ContactsClientOptions & { from?: never };

/** Shares the server, fetch, headers and login (token, credentials, re-login) of a client made by this package. */
export interface SharedSandboxOptions extends Never<ContactsClientOptions> {
  from: ContactsClient | SandboxClient;
}

export type SandboxClientOptions = StandaloneSandboxOptions | SharedSandboxOptions;

export interface RegisterAccountOptions {
  /** The identity the account starts with (acknowledged); unset, the stable hash derived from the number. */
  identityHash?: IdentityHash;
}

export interface SandboxClient {
  /** The openapi-fetch client of the sandbox document, with the same authentication. */
  readonly api: Client<paths>;
  /** POST /v1/users/login, as ContactsClient.login; on a shared session, logs both clients in. */
  login(credentials?: Credentials): Promise<LoginUser>;
  /** PUT /sandbox/accounts/{wa_id}: the number has a WhatsApp account from now on. Registering again replaces its identity. */
  registerAccount(waId: WaId, options?: RegisterAccountOptions): Promise<SandboxAccount>;
  /** DELETE /sandbox/accounts/{wa_id}: the number has no WhatsApp account from now on. */
  deleteAccount(waId: WaId): Promise<void>;
  /** POST /sandbox/accounts/{wa_id}/identity-change: a new random identity hash, not acknowledged. */
  changeIdentity(waId: WaId): Promise<IdentityHash>;
  /** POST /sandbox/inbound: the user writes to the business (engaged for 24 hours). Returns the message id. */
  receiveMessage(message: InboundMessage): Promise<string>;
  /**
   * POST /sandbox/outbound: what a real send would answer. Throws WhatsAppApiError 1028
   * (identity change not acknowledged while show_security_notifications is on), 1013 (blocked,
   * or not on WhatsApp) or 1009 (unreadable number).
   */
  sendMessage(to: PhoneNumber): Promise<'sent'>;
  /**
   * GET /sandbox/misuse: numbers checked and messages sent over the last 7 days of the sandbox
   * clock, and the state of Meta's misuse rule (`ok`, `warned`, `disabled`), evaluated as of now.
   */
  getMisuse(): Promise<MisuseStatus>;
  /** DELETE /sandbox/misuse: counts back to zero, state `ok` (the only way out of `disabled`). */
  resetMisuse(): Promise<void>;
  /** DELETE /sandbox/rate-limits: every operation's rate-limit bucket full again, so 429 handling is tested without waiting. */
  refillRateLimits(): Promise<void>;
  /** POST /sandbox/clock: moves the server's clock forward; returns its time after the move (ms since the epoch). */
  advanceClock(ms: number): Promise<number>;
  /** GET /sandbox/reports: every report the business sent, oldest first. */
  listReports(): Promise<SandboxReport[]>;
  /** GET /sandbox/snapshot: the whole state but users and tokens, for restoreSnapshot or `--seed`. */
  exportSnapshot(): Promise<SandboxSnapshot>;
  /** PUT /sandbox/snapshot: replaces the whole state (the clock moves forward to its time, never back); returns the clock after it. */
  restoreSnapshot(snapshot: SandboxSnapshot): Promise<number>;
}

function connect(options: SandboxClientOptions): Connection {
  if (options.from !== undefined) return connectionOf(options.from);
  const transport = transportOf(options);
  // The login route is in the contacts document, so the session logs in with a client of that one.
  const session = createSession(createClient<ContactsPaths>(transport), {
    token: options.token,
    credentials: options.credentials,
  });
  return { transport, session };
}

const waIdPath = (waId: WaId) => ({ path: { wa_id: pathSegment(waId, 'waId') } });

/**
 * A client of the reference server's sandbox (a simulated WhatsApp network). Give it its own
 * `baseUrl` and `token` / `credentials`, or `{ from: contactsClient }` to share that client's
 * server and login: one token, one re-login on 401, for both.
 */
export function createSandboxClient(options: SandboxClientOptions): SandboxClient {
  const connection = connect(options);
  const { session } = connection;
  const api = createClient<paths>(connection.transport);
  api.use(authMiddleware(session));

  const client: SandboxClient = {
    api,
    login: (credentials) => session.login(credentials),
    async registerAccount(waId, { identityHash } = {}) {
      const body = identityHash === undefined ? {} : { body: { identity_hash: identityHash } };
      return expectData(
        api.PUT('/sandbox/accounts/{wa_id}', { params: waIdPath(waId), ...body }),
        (data) => data.account,
      );
    },
    async deleteAccount(waId) {
      return expectOk(api.DELETE('/sandbox/accounts/{wa_id}', { params: waIdPath(waId) }));
    },
    async changeIdentity(waId) {
      return expectData(
        api.POST('/sandbox/accounts/{wa_id}/identity-change', { params: waIdPath(waId) }),
        (data) => data.hash,
      );
    },
    async receiveMessage({ from, text, id }) {
      return expectData(api.POST('/sandbox/inbound', { body: { from, text, id } }), (data) => data.message_id);
    },
    async sendMessage(to) {
      return expectData(api.POST('/sandbox/outbound', { body: { to } }), (data) => data.status);
    },
    async getMisuse() {
      return expectData(api.GET('/sandbox/misuse'), ({ meta: _meta, ...status }) => status);
    },
    async resetMisuse() {
      return expectOk(api.DELETE('/sandbox/misuse'));
    },
    async refillRateLimits() {
      return expectOk(api.DELETE('/sandbox/rate-limits'));
    },
    async advanceClock(ms) {
      return expectData(api.POST('/sandbox/clock', { body: { advance_ms: ms } }), (data) => data.now);
    },
    async listReports() {
      return expectData(api.GET('/sandbox/reports'), (data) => data.reports);
    },
    async exportSnapshot() {
      return expectData(api.GET('/sandbox/snapshot'), (data) => data.snapshot);
    },
    async restoreSnapshot(snapshot) {
      return expectData(api.PUT('/sandbox/snapshot', { body: snapshot }), (data) => data.now);
    },
  };
  return withConnection(client, connection);
}
