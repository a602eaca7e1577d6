import type { Queryable } from '../database.js';

export interface Token {
  /** Only a hash is stored, so a leaked database does not leak usable tokens. */
  tokenHash: string;
  username: string;
  expiresAt: number;
}

/**
 * Stores the token if the user's password hash is still `passwordHash`, the one the login was
 * checked against; false when a password change came first. FOR SHARE waits for a change in
 * flight and then sees its result.
 */
export async function insertToken(q: Queryable, token: Token, passwordHash: string): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO tokens (token_hash, username, expires_at)
     SELECT $1, username, $3 FROM users WHERE username = $2 AND password_hash = $4 FOR SHARE
     RETURNING token_hash`,
    [token.tokenHash, token.username, token.expiresAt, passwordHash],
  );
  return rows.length > 0;
}

/** Revokes one token (logout). False: there was no such token. */
export async function deleteToken(q: Queryable, tokenHash: string): Promise<boolean> {
  const rows = await q.query('DELETE FROM tokens WHERE token_hash = $1 RETURNING token_hash', [tokenHash]);
  return rows.length > 0;
}

/** Revokes every token of a user (password change); returns how many. */
export async function deleteTokensOf(q: Queryable, username: string): Promise<number> {
  const rows = await q.query('DELETE FROM tokens WHERE username = $1 RETURNING token_hash', [username]);
  return rows.length;
}

/** The token if it exists and expires after `now` (sandbox time). */
export async function findValidToken(q: Queryable, tokenHash: string, now: number): Promise<Token | null> {
  const rows = await q.query<Token>(
    `SELECT token_hash AS "tokenHash", username, expires_at AS "expiresAt"
     FROM tokens WHERE token_hash = $1 AND expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

/** Returns how many were deleted. */
export async function deleteExpiredTokens(q: Queryable, now: number): Promise<number> {
  // Locked in token_hash order first, so concurrent logins clearing tokens cannot deadlock.
  const rows = await q.query(
    `DELETE FROM tokens WHERE token_hash IN (
       SELECT token_hash FROM tokens WHERE expires_at <= $1 ORDER BY token_hash FOR UPDATE)
     RETURNING token_hash`,
    [now],
  );
  return rows.length;
}
