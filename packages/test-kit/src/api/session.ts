import { fetchTransport, type Transport } from './transport.js';

export interface RequestOptions {
  /** Sent as is (malformed JSON, odd content types...). */
  body?: string | Buffer | undefined;
  /** Sent as JSON, with `content-type: application/json` unless `headers` names another. */
  json?: unknown;
  /** Win over everything else, whatever the case of their names. */
  headers?: Record<string, string>;
  /** The Authorization header: the session's bearer token when undefined, none when null. */
  authorization?: string | null | undefined;
}

/** One answer: its body as text and, when it parses, as JSON. */
export interface ApiAnswer {
  method: string;
  path: string;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the API's bodies, read by callers that know their shape
  json: any;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface LogInOptions {
  /** Tried after the session's password while the server answers 401. */
  passwords?: string[];
  /** The password a factory account's first login (error 1024) is changed to. */
  newPassword?: string;
}

export interface LoginResult {
  /** The 1024 answer of a factory account's first login, when there was one. */
  firstLogin: ApiAnswer | undefined;
}

export const basicAuth = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;

export function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A header's value, whatever the case of its name. */
export const headerValue = (headers: Record<string, string>, name: string): string | undefined =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

export const describeAnswer = (res: ApiAnswer): string =>
  `${res.method} ${res.path} answered ${res.status} ${res.text.slice(0, 300)}`;

const lowerKeys = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The one HTTP client the checks of this API use: Basic log-in (first-login change included), then Bearer. */
export class ApiSession {
  readonly transport: Transport;
  /** Set by logIn(); sent as `Bearer` when a request names no authorization. */
  token: string | undefined;
  username: string;
  password: string;

  constructor(
    target: string | Transport,
    credentials: Credentials = { username: '', password: '' },
    /** Sent with every request, under the request's own headers. */
    readonly defaultHeaders: Record<string, string> = {},
  ) {
    this.transport = typeof target === 'string' ? fetchTransport(target) : target;
    this.username = credentials.username;
    this.password = credentials.password;
  }

  get bearer(): string | undefined {
    return this.token === undefined ? undefined : `Bearer ${this.token}`;
  }

  get basic(): string {
    return basicAuth(this.username, this.password);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer> {
    const headers = lowerKeys(this.defaultHeaders);
    const authorization = options.authorization === undefined ? this.bearer : options.authorization;
    if (authorization !== null && authorization !== undefined) headers.authorization = authorization;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, lowerKeys(options.headers ?? {}));
    const res = await this.transport({ method, path, headers, body });
    return { method, path, ...res, json: parseJson(res.text) };
  }

  /** A request that must answer 2xx: its JSON body. */
  // biome-ignore lint/suspicious/noExplicitAny: see ApiAnswer.json
  async ok(method: string, path: string, options?: RequestOptions): Promise<any> {
    const res = await this.request(method, path, options);
    if (res.status < 200 || res.status > 299) throw new Error(`a set-up call failed: ${describeAnswer(res)}`);
    return res.json;
  }

  /**
   * Logs in with HTTP Basic, trying the session's password and then `passwords` while the server
   * answers 401; a 1024 (factory account, first login) is answered by setting `newPassword`.
   */
  async logIn({ passwords = [], newPassword }: LogInOptions = {}): Promise<LoginResult> {
    const tried: string[] = [];
    for (const password of [this.password, ...passwords]) {
      const auth = basicAuth(this.username, password);
      const res = await this.request('POST', '/v1/users/login', { authorization: auth });
      if (res.status === 200) return this.loggedIn(res, password, undefined);
      if (res.status === 400 && res.json?.errors?.[0]?.code === 1024 && newPassword !== undefined) {
        const changed = await this.request('POST', '/v1/users/login', {
          authorization: auth,
          json: { new_password: newPassword },
        });
        if (changed.status !== 200)
          throw new Error(`first login (1024): setting the new password failed: ${describeAnswer(changed)}`);
        return this.loggedIn(changed, newPassword, res);
      }
      tried.push(`${this.username}:${'*'.repeat(password.length)} → ${res.status} ${res.text.slice(0, 120)}`);
      if (res.status !== 401) break;
    }
    throw new Error(`could not log in (${tried.join('; ')})`);
  }

  private loggedIn(res: ApiAnswer, password: string, firstLogin: ApiAnswer | undefined): LoginResult {
    this.token = res.json.users[0].token;
    this.password = password;
    return { firstLogin };
  }
}

/** A session logged in as `credentials` (a factory account's first login sets `newPassword`). */
export async function createApiSession(
  target: string | Transport,
  credentials: Credentials,
  options: LogInOptions = {},
): Promise<ApiSession> {
  const session = new ApiSession(target, credentials);
  await session.logIn(options);
  return session;
}
