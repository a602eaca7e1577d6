import type { Queryable } from '../database.js';

/** What the sandbox knows about a number beyond the default rule. */
export interface Account {
  waId: string;
  /** false: the number was deleted in the sandbox. */
  hasAccount: boolean;
  identityHash: string | null;
  identityCreatedAt: number | null;
  identityAcknowledged: boolean;
  updatedAt: number;
}

const COLUMNS = `wa_id AS "waId", has_account AS "hasAccount", identity_hash AS "identityHash",
  identity_created_at AS "identityCreatedAt", identity_acknowledged AS "identityAcknowledged",
  updated_at AS "updatedAt"`;

export async function getAccount(q: Queryable, waId: string): Promise<Account | null> {
  const rows = await q.query<Account>(`SELECT ${COLUMNS} FROM accounts WHERE wa_id = $1`, [waId]);
  return rows[0] ?? null;
}

/**
 * Registers (or re-registers) a number. With identityHash, that becomes its identity,
 * created now and acknowledged; without, an existing identity is kept.
 */
export async function registerAccount(
  q: Queryable,
  registration: { waId: string; identityHash?: string | null | undefined; now: number },
): Promise<void> {
  await q.query(
    `INSERT INTO accounts (wa_id, has_account, identity_hash, identity_created_at, identity_acknowledged, updated_at)
     VALUES ($1, true, $2::text, CASE WHEN $2::text IS NULL THEN NULL ELSE $3::bigint END, true, $3)
     ON CONFLICT (wa_id) DO UPDATE SET has_account = true, updated_at = excluded.updated_at,
       identity_hash = COALESCE(excluded.identity_hash, accounts.identity_hash),
       identity_created_at = COALESCE(excluded.identity_created_at, accounts.identity_created_at),
       identity_acknowledged = CASE WHEN excluded.identity_hash IS NULL
         THEN accounts.identity_acknowledged ELSE true END`,
    [registration.waId, registration.identityHash ?? null, registration.now],
  );
}

/** Marks the number as having no WhatsApp account, whether or not it was known before. */
export async function deleteAccount(q: Queryable, waId: string, now: number): Promise<void> {
  await q.query(
    `INSERT INTO accounts (wa_id, has_account, updated_at) VALUES ($1, false, $2)
     ON CONFLICT (wa_id) DO UPDATE SET has_account = false, updated_at = excluded.updated_at`,
    [waId, now],
  );
}

/**
 * Records an identity change: the new hash, created now, waiting for acknowledgement.
 * An unknown number is registered by it (only an existing account can change identity).
 */
export async function setNewIdentity(
  q: Queryable,
  change: { waId: string; identityHash: string; now: number },
): Promise<void> {
  await q.query(
    `INSERT INTO accounts (wa_id, has_account, identity_hash, identity_created_at, identity_acknowledged, updated_at)
     VALUES ($1, true, $2, $3, false, $3)
     ON CONFLICT (wa_id) DO UPDATE SET identity_hash = excluded.identity_hash,
       identity_created_at = excluded.identity_created_at, identity_acknowledged = false,
       updated_at = excluded.updated_at`,
    [change.waId, change.identityHash, change.now],
  );
}

/** Acknowledges the latest identity. False: no such account, or hash is not the latest one. */
export async function acknowledgeIdentity(
  q: Queryable,
  ack: { waId: string; identityHash: string; now: number },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE accounts SET identity_acknowledged = true, updated_at = $3
     WHERE wa_id = $1 AND identity_hash = $2 RETURNING wa_id`,
    [ack.waId, ack.identityHash, ack.now],
  );
  return rows.length > 0;
}
