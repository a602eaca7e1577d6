import { operationRoutes, sandboxRoutes } from '@wa-contacts/server';
import { ApiSession, basicAuth, type ApiAnswer, type RequestOptions, type Transport } from '@wa-contacts/test-kit/api';
import { expect } from 'vitest';
export { basicAuth, fetchTransport, injectTransport } from '@wa-contacts/test-kit/api';
import { expectErrorEnvelope, expectMatchesSpec, type CheckedResponse } from './spec-validator.js';

/**
 * The suite's operation-level view of test-kit's ApiSession. Each call names an operationId; method and
 * path come from the routes generated from the specs, and every answer is checked by test-kit's
 * contract oracle (documented status, schema, envelope, no stack trace) and for its `meta`,
 * before the test sees it.
 */

const routes = { ...operationRoutes, ...sandboxRoutes };
export type AnyOperationId = keyof typeof routes;

/** The answer as the oracle sees it: `body` parsed (or the text when it is not JSON). */
function toChecked({ status, headers, text }: ApiAnswer): CheckedResponse {
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text; // not JSON: expectMatchesSpec reports it
    }
  }
  return { status, headers, body, text };
}

export interface CallOptions {
  /** Path parameters, URL-encoded into the template. */
  params?: Record<string, string>;
  /** A hand-made URL for this operation (e.g. broken percent-encoding), instead of the template's. */
  rawUrl?: string;
  query?: Record<string, string | number | boolean>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (with `contentType`, default application/json). */
  rawBody?: string | Buffer;
  contentType?: string;
  /** Bearer token: the client's own when undefined, none when null. */
  token?: string | null;
  /** HTTP Basic credentials instead of a bearer token. */
  basic?: { username: string; password: string };
  /** Extra or overriding headers (e.g. a hand-made Authorization). */
  headers?: Record<string, string>;
}

export interface ApiClient {
  /** The bearer token sent by default; set after logging in. */
  token: string | undefined;
  call(operationId: AnyOperationId, options?: CallOptions): Promise<CheckedResponse>;
  /** A request outside every operation (unknown route, wrong method): it must be an errors envelope. */
  unrouted(method: string, url: string, options?: Omit<CallOptions, 'params' | 'rawUrl'>): Promise<CheckedResponse>;
}

export function urlFor(
  operationId: AnyOperationId,
  params: Record<string, string> = {},
  query?: CallOptions['query'],
): string {
  const path = routes[operationId].path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operationId} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
  if (!query) return path;
  const search = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  return `${path}?${search}`;
}

/** The `meta` of every answer: the version the server runs, `experimental` under /sandbox/ (the oracle checks the rest). */
function expectMeta(response: CheckedResponse, path: string, version: string): void {
  const body = response.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object')
    expect(body.meta, `meta of ${path}`).toEqual({
      api_status: path.startsWith('/sandbox/') ? 'experimental' : 'stable',
      version,
    });
}

export function createApiClient(transport: Transport, options: { version: string; token?: string }): ApiClient {
  const session = new ApiSession(transport);
  const requestOf = (opts: CallOptions): RequestOptions => {
    const headers: Record<string, string> = {};
    if (opts.rawBody !== undefined || opts.body !== undefined)
      headers['content-type'] = opts.contentType ?? 'application/json';
    return {
      body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      headers: { ...headers, ...opts.headers },
      authorization: opts.basic
        ? basicAuth(opts.basic.username, opts.basic.password)
        : typeof opts.token === 'string'
          ? `Bearer ${opts.token}`
          : opts.token,
    };
  };
  const client: ApiClient = {
    get token() {
      return session.token;
    },
    set token(token) {
      session.token = token;
    },
    async call(operationId, opts = {}) {
      const route = routes[operationId];
      const url = opts.rawUrl ?? urlFor(operationId, opts.params, opts.query);
      const response = toChecked(await session.request(route.method, url, requestOf(opts)));
      expectMatchesSpec(response, { method: route.method, path: route.path });
      expectMeta(response, route.path, options.version);
      return response;
    },
    async unrouted(method, url, opts = {}) {
      const response = toChecked(await session.request(method, url, requestOf(opts)));
      expectErrorEnvelope(response);
      expectMeta(response, url, options.version);
      return response;
    },
  };
  client.token = options.token;
  return client;
}
