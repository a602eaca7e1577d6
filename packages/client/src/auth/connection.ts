import { resilientFetch, type ResilienceOptions } from '../retry/fetch.js';
import type { Session } from './session.js';

/** Where and how requests go: what every openapi-fetch client of one connection is created with. */
export interface Transport {
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  headers?: Record<string, string>;
}

/**
 * A server and one login to it. Each client made by a factory of this package has one; a
 * client made `from` another shares the other's, so one token (and one re-login) serves both.
 */
export interface Connection {
  readonly transport: Transport;
  readonly session: Session;
}

/** The transport of a factory's options (retries and timeout wrap its fetch), leaving out what was not given (openapi-fetch has its own defaults). */
export function transportOf(options: Transport & ResilienceOptions): Transport {
  const resilient = options.retry || options.timeoutMs !== undefined;
  // The global fetch is looked up at each call, as openapi-fetch does, so a test's stub still applies.
  const fetchOnce = options.fetch ?? ((request: Request) => fetch(request));
  return {
    baseUrl: options.baseUrl,
    ...(resilient ? { fetch: resilientFetch(fetchOnce, options) } : options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

// Kept out of the clients themselves: no public property exposes the session or its token.
const connections = new WeakMap<object, Connection>();

/** Records the connection of a client a factory made, and returns the client. */
export function withConnection<T extends object>(client: T, connection: Connection): T {
  connections.set(client, connection);
  return client;
}

/** The connection of a client made by a factory of this package (this copy of it). */
export function connectionOf(client: object): Connection {
  const connection = connections.get(client);
  if (!connection) {
    throw new TypeError(
      '`from` must be a client made by createContactsClient or createSandboxClient of this same package',
    );
  }
  return connection;
}
