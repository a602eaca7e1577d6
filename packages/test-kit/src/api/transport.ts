/** One request as it goes on the wire: the path is appended to the transport's base URL as is. */
export interface WireRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | Buffer | undefined;
}

export interface WireResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/** How requests reach the server: fetch over a socket, or a Fastify app's inject() in process. */
export type Transport = (request: WireRequest) => Promise<WireResponse>;

/** fetch() against a base URL, which may carry a base path (`http://host:port/prefix`). */
export function fetchTransport(baseUrl: string): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return async ({ method, path, headers, body }) => {
    const res = await fetch(base + path, { method, headers, body: body ?? null });
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  };
}

/** What injectTransport needs of a Fastify app (structural, so test-kit does not depend on Fastify). */
export interface Injectable {
  inject(request: {
    method: 'GET';
    url: string;
    headers: Record<string, string>;
    payload?: string | Buffer;
  }): PromiseLike<{
    statusCode: number;
    headers: Record<string, string | string[] | number | undefined>;
    body: string;
  }>;
}

/** app.inject(): no sockets, for in-process servers. */
export function injectTransport(app: Injectable): Transport {
  return async ({ method, path, headers, body }) => {
    const res = await app.inject({
      // light-my-request takes any method name; its type lists a few.
      method: method as 'GET',
      url: path,
      headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    return { status: res.statusCode, headers: flatHeaders(res.headers), text: res.body };
  };
}

function flatHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return flat;
}
