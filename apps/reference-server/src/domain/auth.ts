import { hash, randomBytes } from 'node:crypto';
import { DAY_MS } from '../clock.js';
import { ApiError, accessDenied } from '../errors.js';
import { findValidToken, getUser, insertToken, setPassword, upsertUser, deleteExpiredTokens } from '../storage/index.js';
import type { ServerContext } from './context.js';
import { hashPassword, verifyPassword } from './passwords.js';

const TOKEN_LIFETIME_MS = 7 * DAY_MS;
const TOKEN_CACHE_SIZE = 10_000;

// One-shot hashing: no Hash object per call.
const sha256 = (value: string) => hash('sha256', value, 'hex');

export class AuthService {
  // Tokens are looked up on every request; the database is asked once per token and process.
  private readonly tokens = new Map<string, { username: string; expiresAt: number }>();

  constructor(private readonly ctx: ServerContext) {}

  /** Creates the admin account at first start; a stored password is never overwritten. */
  async ensureAdmin(): Promise<void> {
    const { username, password, mustChangePassword } = this.ctx.config.admin;
    if (await getUser(this.ctx.db, username)) return;
    await upsertUser(this.ctx.db, { username, passwordHash: await hashPassword(password), mustChangePassword, updatedAt: this.ctx.clock.now() });
  }

  /** HTTP Basic credentials → the username, or 1005. */
  async verifyBasic(header: string | undefined): Promise<string> {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match?.[1]) throw accessDenied('Send HTTP Basic credentials to log in.');
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    // PostgreSQL text cannot hold U+0000, so no stored username has one (and the lookup would fail).
    const user = username.includes('\u0000') ? null : await getUser(this.ctx.db, username);
    if (!user || !(await verifyPassword(password, user.passwordHash))) throw accessDenied('Invalid credentials.');
    return username;
  }

  /** A new token for an authenticated user, changing the password first when asked to. */
  async login(username: string, newPassword: string | undefined): Promise<{ token: string; expiresAt: number }> {
    const user = await getUser(this.ctx.db, username);
    if (!user) throw accessDenied('Invalid credentials.');
    if (user.mustChangePassword && newPassword === undefined) {
      throw new ApiError(400, 1024, 'This is the first login of this account. Send new_password in the body to set a new password.');
    }
    const now = this.ctx.clock.now();
    if (newPassword !== undefined) {
      await setPassword(this.ctx.db, { username, passwordHash: await hashPassword(newPassword), now });
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + TOKEN_LIFETIME_MS;
    await insertToken(this.ctx.db, { tokenHash: sha256(token), username, expiresAt });
    await deleteExpiredTokens(this.ctx.db, now);
    return { token, expiresAt };
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
    if (token === undefined) throw accessDenied('Send the token from POST /v1/users/login as Authorization: Bearer <token>.');
    const now = this.ctx.clock.now();
    let entry = this.tokens.get(token);
    if (!entry) {
      // Only hashes are stored; the cache is keyed by the token itself, as the client holds it.
      const stored = await findValidToken(this.ctx.db, sha256(token), now);
      if (!stored) throw accessDenied('Invalid or expired token.');
      entry = { username: stored.username, expiresAt: stored.expiresAt };
      if (this.tokens.size >= TOKEN_CACHE_SIZE) this.tokens.clear();
      this.tokens.set(token, entry);
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
