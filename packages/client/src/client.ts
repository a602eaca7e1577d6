import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '@wa-contacts/types';
import { transportOf, withConnection } from './auth/connection.js';
import { authMiddleware } from './auth/middleware.js';
import { createSession, LOGOUT_PATH, type Credentials } from './auth/session.js';
import { expectOk } from './result.js';
import type { RetryOptions } from './retry/policy.js';
import type { LoginUser } from './schemas.js';
import { contactsOperations, type ContactsOperations } from './operations/contacts.js';
import { identityOperations, type IdentityOperations } from './operations/identity.js';
import { blockingOperations, type BlockingOperations } from './operations/blocking.js';
import { settingsOperations, type SettingsOperations } from './operations/settings.js';
import { healthOperations, type HealthOperations } from './operations/health.js';

export interface ContactsClientOptions {
  /** Where the API answers, e.g. `https://waba.example.com`. */
  baseUrl: string;
  /** A token from an earlier login. Without credentials, a 401 is final. */
  token?: string;
  /** Log in with these when there is no token yet, and again when a token is refused (401). */
  credentials?: Credentials;
  /** Used for every request, the login included. */
  fetch?: (request: Request) => Promise<Response>;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /**
   * Retry a contacts check, reads and unblock after a 429 (honouring `Retry-After`), a 503, a
   * network error or a timeout: exponential back-off with jitter, capped, within a time budget.
   * Off by default; `true` takes RETRY_DEFAULTS.
   */
  retry?: boolean | RetryOptions;
  /** Abort each attempt of a request after this long; a retried request gets a new one per attempt. */
  timeoutMs?: number;
}

export interface ContactsClient
  extends ContactsOperations,
    IdentityOperations,
    BlockingOperations,
    SettingsOperations,
    HealthOperations {
  /** The openapi-fetch client, with its `{ data, error, response }` results; auth applies to it too. */
  readonly api: Client<paths>;
  /**
   * POST /v1/users/login with HTTP Basic. Without arguments, uses the credentials given to
   * the factory. After a password change, the new password is the one used from then on.
   */
  login(credentials?: Credentials): Promise<LoginUser>;
  /**
   * POST /v1/users/logout: revokes the client's token and forgets it. Without a token, sends
   * nothing. A 401 counts as done (the token was no longer valid). With credentials, the next
   * request logs in again.
   */
  logout(): Promise<void>;
}

export function createContactsClient(options: ContactsClientOptions): ContactsClient {
  const transport = transportOf(options);
  const api = createClient<paths>(transport);
  // The login goes through this same client (its middlewares see it too); the auth middleware leaves it alone.
  const session = createSession(api, { token: options.token, credentials: options.credentials });
  api.use(authMiddleware(session));

  // The connection is recorded so that createSandboxClient({ from: client }) can share the session.
  return withConnection(
    {
      api,
      login: (credentials) => session.login(credentials),
      async logout() {
        const token = await session.current();
        if (token === undefined) return;
        const call = api.POST(LOGOUT_PATH, { headers: { Authorization: `Bearer ${token}` } });
        try {
          const { response } = await call;
          if (response.status !== 401) await expectOk(call);
        } finally {
          session.forget(token);
        }
      },
      ...contactsOperations(api),
      ...identityOperations(api),
      ...blockingOperations(api),
      ...settingsOperations(api),
      ...healthOperations(api),
    },
    { transport, session },
  );
}
