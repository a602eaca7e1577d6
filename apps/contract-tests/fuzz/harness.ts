import { createServer, loadConfig, type ReferenceServer } from '@wa-contacts/reference-server';
import { ApiSession, basicAuth, injectTransport, parseJson } from '@wa-contacts/test-kit/api';
import { bodyText, type FuzzRequest, type PathValue } from './arbitraries.js';
import { OPERATIONS, exampleStrings, type JsonSchema, type OperationSpec } from './spec.js';
import { fittingExamples, resolved } from './schema-arbitrary.js';

/**
 * The reference server in process (memory PGlite, test-kit's ApiSession over `inject`, no sockets)
 * and the state the fuzz run keeps about it: the admin's password (a valid login may change it), a fresh token, and
 * the spec's example contacts registered and engaged, so valid block, report and identity
 * requests can succeed. A move of the sandbox clock can expire the token or the engagement,
 * a logout or a password change revokes the token: each is renewed before the next request.
 */

export const FUZZ_PASSWORD = 'Fuzz-Test-1!';
const USERNAME = 'admin';
const HOUR_MS = 60 * 60 * 1000;
// Renewed well before the 7-day token lifetime and the 24-hour engagement window end.
const TOKEN_RENEW_MS = 24 * HOUR_MS;
const ENGAGEMENT_RENEW_MS = 12 * HOUR_MS;
// Valid requests delete, re-register and re-key the example contacts and arm faults too: the
// set-up is restored (and the faults cleared) this often, leaving windows where they apply.
const RESTORE_EVERY = 100;

export interface FuzzResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body; undefined when it is empty or not JSON. */
  json: unknown;
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const operation = (id: string): OperationSpec => {
  const op = OPERATIONS.find((o) => o.operationId === id);
  if (!op) throw new Error(`no operation ${id} in the specs`);
  return op;
};

export function encodePath(template: string, params: Record<string, PathValue>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name}`);
    return typeof value === 'string' ? encodeURIComponent(value) : value.raw;
  });
}

export class FuzzTarget {
  /** The admin's session: its password follows the valid logins that change it. */
  readonly api: ApiSession;
  private tokenAt = 0;
  private engagedAt = 0;
  /** The example wa_ids of the sandbox spec: registered and engaged at start. */
  readonly contacts: string[];
  /**
   * Faults armed through the sandbox (`injectFault`), per operationId: how many of its next
   * calls that reach the handler answer 500. Followed from the 200s of injectFault.
   */
  readonly faults = new Map<string, number>();
  /** Requests the harness made itself (log-in, set-up), not counted as fuzz runs. */
  setupRequests = 0;
  private sends = 0;

  private constructor(readonly server: ReferenceServer) {
    this.api = new ApiSession(injectTransport(server.app), { username: USERNAME, password: FUZZ_PASSWORD });
    const waIdParam = operation('registerAccount').parameters.find((p) => p.in === 'path')!;
    this.contacts = fittingExamples(
      resolved({ document: 'sandbox', schema: waIdParam.schema.value, pointer: waIdParam.schema.pointer }),
      {
        examples: exampleStrings(),
      },
    );
  }

  static async start(env: Record<string, string> = {}): Promise<FuzzTarget> {
    // No limits: the fuzzer sends bursts, and generated wrong passwords would lock its own login out.
    const server = await createServer(
      loadConfig({
        WA_DATA_DIR: 'memory',
        WA_ADMIN_PASSWORD: FUZZ_PASSWORD,
        LOG_LEVEL: 'silent',
        WA_RATE_LIMIT: 'off',
        ...env,
      }),
    );
    const target = new FuzzTarget(server);
    await target.login();
    await target.setUp();
    return target;
  }

  async close(): Promise<void> {
    await this.server.app.close();
  }

  now(): number {
    return this.server.clock.now();
  }

  /** Sends a generated request; the harness's own state follows what it changed. */
  async send(req: FuzzRequest): Promise<{ sent: SentRequest; response: FuzzResponse; faultArmed: boolean }> {
    await this.renew();
    const faultArmed = (this.faults.get(req.operationId) ?? 0) > 0;
    const op = operation(req.operationId);
    const headers: Record<string, string> = {};
    const authorization = this.authorization(req, op);
    if (authorization !== undefined) headers.authorization = authorization;
    const body = bodyText(req.body);
    if (req.body.kind !== 'none' && req.body.contentType !== null) headers['content-type'] = req.body.contentType;
    const query = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const url = encodePath(req.path, req.params) + (query ? `?${query}` : '');
    const sent: SentRequest = { method: req.method, url, headers, body };
    const response = await this.inject(sent);

    if (req.operationId === 'login' && response.status === 200 && req.auth.mode === 'valid') {
      const newPassword = (parseJson(body) as { new_password?: unknown } | undefined)?.new_password;
      if (typeof newPassword === 'string') {
        this.api.password = newPassword;
        // A password change revokes the user's other tokens, the harness's own among them.
        this.tokenAt = -Infinity;
      }
    }
    // The harness's own token was logged out: log in again before the next request.
    if (req.operationId === 'logout' && response.status === 200 && req.auth.mode === 'valid') this.tokenAt = -Infinity;
    if (req.operationId === 'injectFault' && response.status === 200) {
      const armed = response.json as { operation_id: string; count: number };
      if (armed.count > 0) this.faults.set(armed.operation_id, armed.count);
      else this.faults.delete(armed.operation_id);
    }
    if (faultArmed && response.status === 500) this.struck(req.operationId);
    return { sent, response, faultArmed };
  }

  private struck(operationId: string): void {
    const left = (this.faults.get(operationId) ?? 0) - 1;
    if (left > 0) this.faults.set(operationId, left);
    else this.faults.delete(operationId);
  }

  private authorization(req: FuzzRequest, op: OperationSpec): string | undefined {
    const bearer = `Bearer ${this.api.token}`;
    const own = op.security === 'basicAuth' ? this.api.basic : op.security === 'bearerAuth' ? bearer : undefined;
    switch (req.auth.mode) {
      case 'valid':
        return own;
      case 'none':
        return undefined;
      case 'raw':
        return req.auth.header;
      case 'other-scheme':
        return op.security === 'basicAuth' ? bearer : this.api.basic;
      case 'wrong-password':
        return basicAuth(
          USERNAME,
          req.auth.password === this.api.password ? `${req.auth.password}x` : req.auth.password,
        );
      case 'unknown-user':
        return basicAuth(req.auth.username === USERNAME ? `${USERNAME}x` : req.auth.username, this.api.password);
    }
  }

  /** A generated request exactly as built (the session adds no header of its own). */
  async inject({ method, url, headers, body }: SentRequest): Promise<FuzzResponse> {
    const res = await this.api.transport({ method, path: url, headers, body });
    return { ...res, json: parseJson(res.text) };
  }

  /** A harness request (log-in, set-up): must not fail with 5xx. */
  private async call(id: string, params: Record<string, string>, body?: unknown, auth?: string): Promise<FuzzResponse> {
    const op = operation(id);
    if (this.faults.has(id) && id !== 'injectFault') await this.call('injectFault', {}, { operation_id: id, count: 0 });
    this.setupRequests++;
    const res = await this.api.request(op.method, encodePath(op.path, params), { json: body, authorization: auth });
    if (res.status >= 500)
      throw new Error(`set-up ${id} ${JSON.stringify(params)} answered ${res.status}: ${res.text}`);
    if (id === 'injectFault' && res.status === 200) this.faults.delete((body as { operation_id: string }).operation_id);
    return res;
  }

  async login(): Promise<void> {
    // Through call(), not api.logIn(): a fault armed on login is cleared first.
    const res = await this.call('login', {}, undefined, this.api.basic);
    if (res.status !== 200) throw new Error(`log-in failed: ${res.status} ${res.text}`);
    this.api.token = (res.json as { users: Array<{ token: string }> }).users[0]!.token;
    this.tokenAt = this.now();
  }

  /**
   * Registers every example contact with an example identity hash (so acknowledging that
   * hash can succeed) and has each write in (so blocking and reporting can), the first with
   * the message id of the inbound example (so reporting that message can).
   */
  async setUp(first = true): Promise<void> {
    const hashParam = operation('registerAccount').requestBody!.content['application/json']!;
    const hashSchema = resolved({ document: 'sandbox', schema: hashParam.value, pointer: hashParam.pointer });
    const hashes = fittingExamples(
      resolved({
        document: 'sandbox',
        schema: (hashSchema.schema.properties as Record<string, JsonSchema>).identity_hash!,
        pointer: `${hashSchema.pointer}/properties/identity_hash`,
      }),
      { examples: exampleStrings() },
    );
    const inboundExample = operation('receiveMessage').requestBody!.example as { id?: string } | undefined;
    for (const [i, waId] of this.contacts.entries()) {
      await this.call(
        'registerAccount',
        { wa_id: waId },
        hashes.length ? { identity_hash: hashes[i % hashes.length] } : undefined,
      );
      await this.call(
        'receiveMessage',
        {},
        {
          from: waId,
          text: 'fuzz set-up',
          ...(first && i === 0 && inboundExample?.id ? { id: inboundExample.id } : {}),
        },
      );
    }
    this.engagedAt = this.now();
  }

  /** Before each request: a token that will not expire, example contacts that exist and wrote in recently. */
  private async renew(): Promise<void> {
    if (this.now() - this.tokenAt > TOKEN_RENEW_MS) await this.login();
    if (++this.sends % RESTORE_EVERY === 0 || this.now() - this.engagedAt > ENGAGEMENT_RENEW_MS) {
      for (const id of [...this.faults.keys()]) await this.call('injectFault', {}, { operation_id: id, count: 0 });
      await this.setUp(false);
    }
  }
}
