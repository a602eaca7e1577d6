import type { Queryable } from '../database.js';

export interface Token {
  /** Only a hash is stored, so a leaked database does not leak usable tokens. */
  tokenHash: string;
  username: string;
  expiresAt: number;
}

export async function insertToken(q: Queryable, token: Token): Promise<void> {
  await q.query('INSERT INTO tokens (token_hash, username, expires_at) VALUES ($1, $2, $3)', [
    token.tokenHash,
    token.username,
    token.expiresAt,
  ]);
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
