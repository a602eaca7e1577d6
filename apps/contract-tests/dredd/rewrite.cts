// What a plan may do to its transaction's request before Dredd sends it, and resend it changed.
import type { Transaction } from 'hooks';
import { registry } from './registry.cjs';
import type { Json } from './schemas.cjs';
import { parseJson } from '@wa-contacts/test-kit/api';
import { type Answer, basic, locate, type Session } from './target.cjs';

/** A change of Dredd's request for a variant: sent by the hooks, not by Dredd. */
export interface Resend {
  uri?: string;
  json?: Json;
  body?: string;
  /** null drops the header. */
  headers?: Record<string, string | null>;
  /** null drops the header. */
  authorization?: string | null;
}

/** Case-insensitive set; null removes. */
export function setHeader(headers: Record<string, string>, name: string, value: string | null | undefined): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  if (value !== null && value !== undefined) headers[name] = value;
}

export class Rewrite {
  /** The WhatsApp error code Dredd's answer must carry; a plan may change it (login 400). */
  code: number | undefined;
  private basePath: string;

  constructor(
    private readonly transaction: Transaction,
    private readonly main: Session,
    code: number | undefined,
  ) {
    this.basePath = locate(main.baseUrl).basePath;
    this.code = code;
  }

  private get request() {
    return this.transaction.request;
  }

  readonly basicAuth = basic;
  readonly options = registry.options;

  note(message: string): void {
    registry.notes.push(`${this.transaction.name}: ${message}`);
  }

  expectCode(code: number): void {
    this.code = code;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the spec's example request body, read by plans that know its shape
  body(): any {
    return parseJson(this.request.body);
  }

  uri(uri: string): void {
    this.request.uri = uri;
    this.transaction.fullPath = `${this.basePath}${uri}`;
    this.transaction.id = `${this.request.method} (${this.transaction.expected.statusCode}) ${uri}`;
  }

  json(value: Json): void {
    this.request.body = JSON.stringify(value);
    setHeader(this.request.headers, 'Content-Type', 'application/json');
  }

  noBody(): void {
    this.request.body = '';
    setHeader(this.request.headers, 'Content-Type', null);
  }

  auth(value: string): void {
    setHeader(this.request.headers, 'Authorization', value);
  }

  /** Sends this one transaction to another server (the factory-fresh one for 1024). */
  retarget(url: string): void {
    const other = locate(url);
    Object.assign(this.transaction, { protocol: other.protocol, host: other.host, port: other.port });
    this.basePath = other.basePath;
    this.transaction.fullPath = `${this.basePath}${this.request.uri}`;
  }

  /** The transaction's request again, with changes, to the main target: a variant. */
  resend({ uri = this.request.uri, json, body, headers = {}, authorization }: Resend = {}): Promise<Answer> {
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.request.headers))
      if (!/^(content-length|host|connection)$/i.test(k)) h[k] = v;
    for (const [k, v] of Object.entries(headers)) setHeader(h, k, v);
    if (authorization !== undefined) setHeader(h, 'Authorization', authorization);
    const payload = json !== undefined ? JSON.stringify(json) : (body ?? this.request.body);
    if (json !== undefined) setHeader(h, 'Content-Type', 'application/json');
    const method = this.request.method;
    // fetch() labels a string body text/plain when no Content-Type is set: send none at all.
    const sent = method === 'GET' || payload === '' ? undefined : payload;
    // The transaction's own Authorization (in h) or none: not the session's token.
    return this.main.request(method, uri, { body: sent, headers: h, authorization: null });
  }
}
