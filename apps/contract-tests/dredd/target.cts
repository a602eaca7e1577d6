// A small HTTP client for the server under test: login (with the factory first-login flow) and
// the sandbox calls the hooks use to set the world up before a transaction.
import { randomInt } from 'node:crypto';
import type { Json } from './schemas.cjs';

export const basic = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export interface RequestOptions {
  body?: string | undefined;
  json?: Json;
  headers?: Record<string, string>;
  authorization?: string | undefined;
}

/** One answer, its body as text and, when it parses, as JSON. */
export interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the API's bodies, read by set-up code that knows their shape
  json: any;
}

export function parseJson(text: string | undefined): Json | undefined {
  try {
    return text ? (JSON.parse(text) as Json) : undefined;
  } catch {
    return undefined;
  }
}

export class Target {
  readonly origin: string;
  readonly basePath: string;
  readonly host: string;
  readonly port: string;
  readonly protocol: string;

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.host = url.hostname;
    this.port = url.port || (url.protocol === 'https:' ? '443' : '80');
    this.protocol = url.protocol;
  }

  async request(method: string, path: string, { body, json, headers = {}, authorization }: RequestOptions = {}) {
    const h: Record<string, string> = { Accept: 'application/json', ...headers };
    if (authorization) h.Authorization = authorization;
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      h['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${this.origin}${this.basePath}${path}`, { method, headers: h, body: payload ?? null });
    const text = await res.text();
    const answer: Answer = {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      text,
      json: parseJson(text),
      method,
      path,
    };
    return answer;
  }
}

export const describeAnswer = (res: Answer): string =>
  `${res.method} ${res.path} answered ${res.status} ${res.text.slice(0, 300)}`;
const errorCode = (res: Answer): unknown => res.json?.errors?.[0]?.code;

export interface LoginResult {
  token: string;
  /** The password that works now. */
  password: string;
  /** The 1024 answer of a factory account's first login, when there was one. */
  firstLogin: Answer | undefined;
}

/**
 * Logs in with HTTP Basic, trying each candidate password; a 1024 (factory account, first login)
 * is answered by setting `newPassword`.
 */
export async function logIn(
  target: Target,
  { username, passwords, newPassword }: { username: string; passwords: string[]; newPassword: string },
): Promise<LoginResult> {
  const tried: string[] = [];
  for (const password of passwords) {
    const res = await target.request('POST', '/v1/users/login', { authorization: basic(username, password) });
    if (res.status === 200) return { token: res.json.users[0].token, password, firstLogin: undefined };
    if (res.status === 400 && errorCode(res) === 1024) {
      const changed = await target.request('POST', '/v1/users/login', {
        authorization: basic(username, password),
        json: { new_password: newPassword },
      });
      if (changed.status !== 200)
        throw new Error(`first login (1024): setting the new password failed: ${describeAnswer(changed)}`);
      return { token: changed.json.users[0].token, password: newPassword, firstLogin: res };
    }
    tried.push(`${username}:${'*'.repeat(password.length)} → ${res.status} ${res.text.slice(0, 120)}`);
    if (res.status !== 401) break;
  }
  throw new Error(
    `could not log in to ${target.origin}${target.basePath} (${tried.join('; ')}); set CONTRACT_USERNAME / CONTRACT_PASSWORD or CONTRACT_TOKEN`,
  );
}

export interface Account {
  waId: string;
  phone: string;
  hash: string;
}

/** The hooks' view of the target once logged in: API and sandbox calls with the bearer token. */
export class Session {
  constructor(
    readonly target: Target,
    public token: string,
    readonly username: string,
    readonly password: string,
  ) {}

  get bearer(): string {
    return `Bearer ${this.token}`;
  }

  get basic(): string {
    return basic(this.username, this.password);
  }

  call(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    return this.target.request(method, path, { authorization: this.bearer, ...options });
  }

  /** A call that must answer 200; its JSON body. */
  // biome-ignore lint/suspicious/noExplicitAny: see Answer.json
  async ok(method: string, path: string, options?: RequestOptions): Promise<any> {
    const res = await this.call(method, path, options);
    if (res.status !== 200) throw new Error(`set-up call failed: ${describeAnswer(res)}`);
    return res.json;
  }

  /**
   * A WhatsApp id no earlier run can have touched (a random US number, +1 631 NXX XXXX),
   * registered in the sandbox: it has an account and its identity hash. Random, so that runs
   * against a long-lived target do not see each other's engagement or blocks.
   */
  async freshAccount(): Promise<Account> {
    const waId = `1631${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    const body = await this.ok('PUT', `/sandbox/accounts/${waId}`);
    return { waId, phone: `+${waId}`, hash: body.account.identity.hash };
  }

  /** A registered account that wrote to the business just now (engaged for 24 hours). */
  async engagedAccount(text = 'Hello from the contract tests'): Promise<Account & { messageId: string }> {
    const account = await this.freshAccount();
    return { ...account, messageId: await this.inbound(account.waId, text) };
  }

  async inbound(waId: string, text: string): Promise<string> {
    return (await this.ok('POST', '/sandbox/inbound', { json: { from: waId, text } })).message_id;
  }

  async changeIdentity(waId: string): Promise<string> {
    return (await this.ok('POST', `/sandbox/accounts/${waId}/identity-change`)).hash;
  }

  async deleteAccount(waId: string): Promise<void> {
    await this.ok('DELETE', `/sandbox/accounts/${waId}`);
  }

  async block(phone: string, reason?: string): Promise<void> {
    await this.ok('POST', `/v1/contacts/${encodeURIComponent(phone)}/block`, {
      json: reason === undefined ? {} : { reason },
    });
  }

  async unblock(phone: string): Promise<void> {
    await this.ok('POST', `/v1/contacts/${encodeURIComponent(phone)}/unblock`);
  }

  async settings(): Promise<{ show_security_notifications: boolean }> {
    return (await this.ok('GET', '/v1/settings/application')).settings.application;
  }

  async patchSettings(patch: Record<string, Json>): Promise<void> {
    await this.ok('PATCH', '/v1/settings/application', { json: patch });
  }

  /** Logs in again, for when the sandbox clock moved the session's token past its 7 days. */
  async renew(): Promise<void> {
    this.token = (await this.freshBearer()).slice('Bearer '.length);
  }

  /** A token of its own, from a login of this user: a logout must not revoke the session's. */
  async freshBearer(): Promise<string> {
    // The login 429 plan empties login's bucket just before: wait as Retry-After says, a few times.
    for (let attempt = 1; ; attempt++) {
      const res = await this.target.request('POST', '/v1/users/login', { authorization: this.basic });
      if (res.status === 200) return `Bearer ${res.json.users[0].token}`;
      if (res.status !== 429 || attempt === 5) throw new Error(`set-up login failed: ${res.status} ${res.text}`);
      await sleep(1000 * Number(headerValue(res.headers, 'retry-after') ?? 1));
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A header's value, whatever the case of its name. */
export const headerValue = (headers: Record<string, string>, name: string): string | undefined =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
