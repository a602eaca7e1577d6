// Dredd's view of the server under test: test-kit's ApiSession (Node requires its ESM build from
// these CommonJS hooks) with the sandbox set-up calls the plans use before a transaction.
import { randomInt } from 'node:crypto';
import { ApiSession, headerValue } from '@wa-contacts/test-kit/api';
import type { Json } from './schemas.cjs';

export { type ApiAnswer as Answer, basicAuth as basic, headerValue } from '@wa-contacts/test-kit/api';

export interface Account {
  waId: string;
  phone: string;
  hash: string;
}

/** Where a base URL points, as Dredd's transaction fields say it. */
export function locate(baseUrl: string) {
  const url = new URL(baseUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { protocol: url.protocol, host: url.hostname, port, basePath: url.pathname.replace(/\/+$/, '') };
}

/** The hooks' session: API and sandbox calls with the bearer token of beforeAll's log-in. */
export class Session extends ApiSession {
  constructor(
    readonly baseUrl: string,
    credentials: { username: string; password: string },
  ) {
    super(baseUrl, credentials, { accept: 'application/json' });
  }

  override get bearer(): string {
    return `Bearer ${this.token ?? ''}`;
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

  /** Every operation's bucket full again (DELETE /sandbox/rate-limits): no transaction waits for another's 429. */
  async refillRateLimits(): Promise<void> {
    await this.ok('DELETE', '/sandbox/rate-limits');
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
    // The hooks refill login's bucket after its 429 plan; a target that did not: wait as Retry-After says, a few times.
    for (let attempt = 1; ; attempt++) {
      const res = await this.request('POST', '/v1/users/login', { authorization: this.basic });
      if (res.status === 200) return `Bearer ${res.json.users[0].token}`;
      if (res.status !== 429 || attempt === 5) throw new Error(`set-up login failed: ${res.status} ${res.text}`);
      await sleep(1000 * Number(headerValue(res.headers, 'retry-after') ?? 1));
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
