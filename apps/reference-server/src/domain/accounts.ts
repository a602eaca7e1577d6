import { createHash } from 'node:crypto';
import { getAccount, registerAccount, type Account, type Queryable } from '../storage/index.js';
import { isValidWaId } from './phone.js';

/**
 * The sandbox's rule for who is on WhatsApp: a number registered with PUT is; a deleted one
 * is not; a number never registered nor deleted is when it is a real number (valid by the
 * numbering plan), so the server is useful without any set-up. A check applies the same rule
 * in SQL, over many numbers at once (storage/repositories/look-ups.ts).
 */
export function hasAccount(waId: string, account: Account | null | undefined): boolean {
  return account ? account.hasAccount : isValidWaId(waId);
}

/** The identity hash a number has before any change: stable, derived from the number. */
export function initialIdentityHash(waId: string): string {
  return createHash('sha256').update(`wa-identity:${waId}`).digest().subarray(0, 8).toString('base64');
}

export interface Identity {
  hash: string;
  createdAt: number;
  acknowledged: boolean;
}

/**
 * The identity of a user on WhatsApp, created when the server first sees it; null when the
 * number has no account.
 */
export async function currentIdentity(q: Queryable, waId: string, now: number): Promise<Identity | null> {
  let account = await getAccount(q, waId);
  if (!hasAccount(waId, account)) return null;
  if (!account?.identityHash) {
    await registerAccount(q, { waId, identityHash: initialIdentityHash(waId), now });
    account = await getAccount(q, waId);
  }
  return {
    hash: account!.identityHash!,
    createdAt: account!.identityCreatedAt!,
    acknowledged: account!.identityAcknowledged,
  };
}
