// A fetch that records every request exactly as it would go on the wire and answers from a script.

export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A request as fakeFetch records it, to http://api.test: the URL from its path, no body unless given. */
export function sentTo(method: string, path: string, headers: Record<string, string>, body = ''): Sent {
  return { method, url: `http://api.test${path}`, headers, body };
}

export type Script = (sent: Sent, index: number) => Response | Promise<Response>;

export function fakeFetch(script: Script) {
  const sent: Sent[] = [];
  async function fetch(request: Request): Promise<Response> {
    const entry: Sent = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      // Reading consumes the body, as a real fetch does: a re-send must bring its own copy.
      body: await request.text(),
    };
    sent.push(entry);
    return script(entry, sent.length - 1);
  }
  return { fetch, sent };
}

export const meta = { api_status: 'stable', version: 'v2.45.1' } as const;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function loginAnswer(token: string): Response {
  return json(200, { meta, users: [{ token, expires_after: '2018-03-01 15:29:26+00:00' }] });
}

export function errorAnswer(status: number, code: number, title: string, details: string): Response {
  return json(status, { meta, errors: [{ code, title, details }] });
}

export const accessDenied = () => errorAnswer(401, 1005, 'Access denied', 'Invalid credentials.');

export const isLogin = (sent: Sent) => new URL(sent.url).pathname === '/v1/users/login';

/** The Basic value computed independently of the client, with Node's Buffer. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
