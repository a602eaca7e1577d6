import type { IncomingHttpHeaders } from 'node:http';
import { hash, randomBytes } from 'node:crypto';
import { DAY_MS } from '../clock.js';
import { ApiError, accessDenied, tooManyRequests } from '../errors.js';
import {
  deleteExpiredTokens,
  deleteToken,
  deleteTokensOf,
  findValidToken,
  getUser,
  insertToken,
  setPassword,
  upsertUser,
} from '../storage/index.js';
import type { ServerContext } from './context.js';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyNoPassword, verifyPassword } from './passwords.js';
import { Broadcast } from './broadcast.js';

const TOKEN_LIFETIME_MS = 7 * DAY_MS;
const TOKEN_CACHE_SIZE = 10_000;
const INVALID_CREDENTIALS = 'Invalid credentials.';
/** Every instance sharing the database hears each revocation here: `user <username>` or `token <sha256>`. */
export const TOKENS_CHANNEL = 'wa_contacts_tokens';

// One-shot hashing: no Hash object per call.
const sha256 = (value: string) => hash('sha256', value, 'hex');

export class AuthService {
  // Tokens are looked up on every request; the database is asked once per token and process.
  private readonly tokens = new Map<string, { username: string; tokenHash: string; expiresAt: number }>();
  // The password hash each login request was verified against, for its handler: the change or token is conditional on it.
  private readonly verified = new WeakMap<IncomingHttpHeaders, string>();
  // Bumped by every revocation: a token read from the database before one is not cached after it.
  private revocations = 0;
  private readonly throttle: LoginThrottle | undefined;
  // Tells the other instances on the database (their caches) of each revocation; set by follow().
  private revoked: Broadcast | undefined;

  constructor(private readonly ctx: ServerContext) {
    this.throttle = ctx.config.loginThrottle ? new LoginThrottle(LOGIN_THROTTLE) : undefined;
  }

  /**
   * Listens for revocations made by other instances on the database, and tells them of this
   * one's; returns the function that stops.
   */
  async follow(instance: string, onError: (error: unknown) => void): Promise<() => Promise<void>> {
    this.revoked = new Broadcast(
      this.ctx.db,
      TOKENS_CHANNEL,
      instance,
      (payload) => this.forgetRevoked(payload),
      onError,
    );
    return this.revoked.follow();
  }

  /** What another instance revoked (`user <username>`, `token <sha256>`); null: maybe missed some, forget all. */
  private forgetRevoked(payload: string | null): void {
    if (payload === null) {
      this.forgetAll();
      return;
    }
    const space = payload.indexOf(' ');
    const [kind, value] = [payload.slice(0, space), payload.slice(space + 1)];
    if (kind === 'user') this.forgetTokensOf(value);
    else if (kind === 'token') this.forgetTokenHash(value);
  }

  /** Once a revocation committed: resolves when every instance on the database has forgotten it too. */
  private async announce(revocation: string): Promise<void> {
    await (await this.revoked?.send(this.ctx.db, revocation))?.confirmed();
  }

  /** Creates the admin account at first start; a stored password is never overwritten. */
  async ensureAdmin(): Promise<void> {
    const { username, password, mustChangePassword } = this.ctx.config.admin;
    if (await getUser(this.ctx.db, username)) return;
    await upsertUser(this.ctx.db, {
      username,
      passwordHash: await hashPassword(password),
      mustChangePassword,
      updatedAt: this.ctx.clock.now(),
    });
  }

  /**
   * HTTP Basic credentials of a login request → the username, or 1005; 1015 while the username
   * or the address has failed too often (before any key derivation).
   */
  async verifyBasic(headers: IncomingHttpHeaders, address: string): Promise<string> {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
    if (!match?.[1]) throw accessDenied('Send HTTP Basic credentials to log in.', 'Basic');
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    const keys = [`user:${username}`, `ip:${address}`];
    const waitMs = this.throttle?.take(keys) ?? 0;
    if (waitMs > 0) throw tooManyRequests('Too many failed logins. Try again later.', waitMs);
    // PostgreSQL text cannot hold U+0000, so no stored username has one (and the lookup would fail).
    const user = username.includes('\u0000') ? null : await getUser(this.ctx.db, username);
    // An unknown user costs the same key derivation as a wrong password: no enumeration by timing.
    const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyNoPassword(password);
    if (!ok || !user) throw accessDenied(INVALID_CREDENTIALS, 'Basic');
    this.throttle?.refund(keys);
    this.verified.set(headers, user.passwordHash);
    return username;
  }

  /**
   * A new token for the user verifyBasic authenticated on these headers, changing the password
   * first when asked to. A password change revokes every other token of the user; a change or
   * login that lost a race against another change gets 1005.
   */
  async login(
    username: string,
    headers: IncomingHttpHeaders,
    newPassword: string | undefined,
  ): Promise<{ token: string; expiresAt: number }> {
    const verifiedHash = this.verified.get(headers);
    this.verified.delete(headers);
    const user = await getUser(this.ctx.db, username);
    if (!user || verifiedHash === undefined || user.passwordHash !== verifiedHash)
      throw accessDenied(INVALID_CREDENTIALS, 'Basic');
    if (user.mustChangePassword && newPassword === undefined) {
      throw new ApiError(
        400,
        1024,
        'This is the first login of this account. Send new_password in the body to set a new password.',
      );
    }
    const now = this.ctx.clock.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + TOKEN_LIFETIME_MS;
    const record = { tokenHash: sha256(token), username, expiresAt };
    if (newPassword === undefined) {
      if (!(await insertToken(this.ctx.db, record, verifiedHash))) throw accessDenied(INVALID_CREDENTIALS, 'Basic');
    } else {
      const passwordHash = await hashPassword(newPassword);
      await this.ctx.db.transaction(async (tx) => {
        if (!(await setPassword(tx, { username, oldHash: verifiedHash, passwordHash, now })))
          throw accessDenied(INVALID_CREDENTIALS, 'Basic');
        await deleteTokensOf(tx, username);
        await insertToken(tx, record, passwordHash);
      });
      this.forgetTokensOf(username);
      await this.announce(`user ${username}`);
    }
    await deleteExpiredTokens(this.ctx.db, now);
    return { token, expiresAt };
  }

  /** Revokes the bearer token of the request (it was verified before the handler ran). */
  async logout(header: string | undefined): Promise<void> {
    const token = bearerToken(header);
    if (token === undefined)
      throw accessDenied('Send the token from POST /v1/users/login as Authorization: Bearer <token>.');
    // Another logout of the same token may have come first: it is gone either way.
    const tokenHash = sha256(token);
    await deleteToken(this.ctx.db, tokenHash);
    // After the delete: a lookup still in flight sees the bump and does not cache the token again.
    this.forgetToken(token);
    await this.announce(`token ${tokenHash}`);
  }

  /** Drops the cached tokens of a user (its password changed, here or on another instance). */
  private forgetTokensOf(username: string): void {
    this.revocations++;
    for (const [token, entry] of this.tokens) if (entry.username === username) this.tokens.delete(token);
  }

  /** Drops one cached token (it was logged out here). */
  private forgetToken(token: string): void {
    this.revocations++;
    this.tokens.delete(token);
  }

  /** Drops the cached token with that hash (it was logged out on another instance). */
  private forgetTokenHash(tokenHash: string): void {
    this.revocations++;
    for (const [token, entry] of this.tokens) if (entry.tokenHash === tokenHash) this.tokens.delete(token);
  }

  /** Drops every cached token: revocations may have been missed (a listening connection dropped). */
  private forgetAll(): void {
    this.revocations++;
    this.tokens.clear();
  }

  /**
   * The username of a bearer token this process has verified and that is still valid, else
   * undefined: the per-request path, with no hashing and no promise.
   */
  cachedBearer(header: string | undefined): string | undefined {
    const token = bearerToken(header);
    const entry = token === undefined ? undefined : this.tokens.get(token);
    return entry && entry.expiresAt > this.ctx.clock.now() ? entry.username : undefined;
  }

  /** `Authorization: Bearer <token>` → the username, or 1005. */
  async verifyBearer(header: string | undefined): Promise<string> {
    const token = bearerToken(header);
    if (token === undefined)
      throw accessDenied('Send the token from POST /v1/users/login as Authorization: Bearer <token>.');
    const now = this.ctx.clock.now();
    let entry = this.tokens.get(token);
    if (!entry) {
      const revocations = this.revocations;
      // Only hashes are stored; the cache is keyed by the token itself, as the client holds it.
      const tokenHash = sha256(token);
      const stored = await findValidToken(this.ctx.db, tokenHash, now);
      if (!stored) throw accessDenied('Invalid or expired token.');
      entry = { username: stored.username, tokenHash, expiresAt: stored.expiresAt };
      if (this.tokens.size >= TOKEN_CACHE_SIZE) this.tokens.clear();
      if (revocations === this.revocations) this.tokens.set(token, entry);
    }
    if (entry.expiresAt <= now) {
      this.tokens.delete(token);
      throw accessDenied('Invalid or expired token.');
    }
    return entry.username;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** `2018-03-01 15:29:26+00:00`, the format of `expires_after`. */
export function formatExpiry(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}
