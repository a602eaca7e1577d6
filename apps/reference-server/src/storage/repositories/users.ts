import type { Queryable } from '../database.js';

export interface User {
  username: string;
  /** Format is the server's business (an scrypt string). */
  passwordHash: string;
  mustChangePassword: boolean;
  updatedAt: number;
}

const COLUMNS = `username, password_hash AS "passwordHash",
  must_change_password AS "mustChangePassword", updated_at AS "updatedAt"`;

export async function getUser(q: Queryable, username: string): Promise<User | null> {
  const rows = await q.query<User>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
  return rows[0] ?? null;
}

export async function upsertUser(q: Queryable, user: User): Promise<void> {
  await q.query(
    `INSERT INTO users (username, password_hash, must_change_password, updated_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,
       must_change_password = excluded.must_change_password, updated_at = excluded.updated_at`,
    [user.username, user.passwordHash, user.mustChangePassword, user.updatedAt],
  );
}

/**
 * Sets a password chosen by the user, which lifts must_change_password, if the stored hash is
 * still `oldHash`: of racing changes only the first wins. False: no such user, or it lost.
 */
export async function setPassword(
  q: Queryable,
  change: { username: string; oldHash: string; passwordHash: string; now: number },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE users SET password_hash = $2, must_change_password = false, updated_at = $3
     WHERE username = $1 AND password_hash = $4 RETURNING username`,
    [change.username, change.passwordHash, change.now, change.oldHash],
  );
  return rows.length > 0;
}
