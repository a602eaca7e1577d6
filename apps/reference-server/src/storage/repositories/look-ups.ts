import type { Queryable } from '../database.js';
import { sortedWaIds } from './order.js';

/** One look-up of numbers on the (simulated) network, to be stored with its consequences. */
export interface LookUp {
  /** The numbers asked (a number twice is stored once). */
  waIds: readonly string[];
  /** Whether a number is a real one: the answer for a number without an account row (domain/accounts.ts' hasAccount). */
  real: (waId: string) => boolean;
  checkedAt: number;
  /** Where the misuse rule counts the numbers asked, and how many (callers that asked a number alike each count it); none when it is off. */
  count?: { day: number; shard: number; checked: number } | undefined;
}

// One statement, so one round trip and one commit: as four statements in a transaction (six
// trips with BEGIN and COMMIT, seven with the misuse rule's read after it), writing them to the
// socket took a third of a force_check's CPU on PostgreSQL. Rows locked
// in wa_id order in each table, as in every writer; the statement's parts run in the same
// order in every call, so two of them cannot deadlock. Each table is reached by key from the
// numbers asked, never joined: a named statement keeps the generic plan of its first calls, and
// PGlite, with no autovacuum to ANALYZE, never replans it as tables grow; as a join, the plan
// made on a fresh server's empty tables hashed a scan of 10,000 accounts into every call (2 ms).
const RECORD_LOOK_UP = `WITH asked AS MATERIALIZED (
    SELECT i.wa_id, COALESCE((SELECT a.has_account FROM accounts a WHERE a.wa_id = i.wa_id), i.real) AS on_whatsapp
    FROM unnest($1::text[], $2::boolean[]) AS i(wa_id, real)),
  stored AS (
    INSERT INTO contact_checks (wa_id, status, checked_at)
    SELECT wa_id, CASE WHEN on_whatsapp THEN 'valid' ELSE 'invalid' END, $3::bigint FROM asked ORDER BY wa_id
    ON CONFLICT (wa_id) DO UPDATE SET status = excluded.status, checked_at = excluded.checked_at
    WHERE contact_checks.checked_at <= excluded.checked_at),
  settled AS (
    DELETE FROM pending_checks WHERE wa_id = ANY($1::text[]) AND wa_id IN (
      SELECT wa_id FROM pending_checks WHERE wa_id = ANY($1::text[]) ORDER BY wa_id FOR UPDATE)),
  counted AS (
    INSERT INTO misuse_counts (day, shard, checked, sent)
    SELECT $4::bigint, $5::smallint, $6::bigint, 0 WHERE $4::bigint IS NOT NULL
    ON CONFLICT (day, shard) DO UPDATE SET checked = misuse_counts.checked + excluded.checked)
  SELECT coalesce(json_agg(wa_id), '[]')::text AS on_whatsapp FROM asked WHERE on_whatsapp`;

/**
 * Stores the results of a look-up in one statement: each number's result (valid when it has
 * an account, or has no account row and is a real number), never replacing a newer one; its
 * pending check settled; the numbers counted for the misuse rule. Returns the numbers on WhatsApp.
 */
export async function recordLookUp(q: Queryable, lookUp: LookUp): Promise<Set<string>> {
  if (lookUp.waIds.length === 0) return new Set();
  // ON CONFLICT DO UPDATE refuses to touch one row twice in a statement.
  const waIds = sortedWaIds(new Set(lookUp.waIds));
  const [row] = await q.query<{ on_whatsapp: string }>(RECORD_LOOK_UP, [
    waIds,
    waIds.map(lookUp.real),
    lookUp.checkedAt,
    lookUp.count?.day ?? null,
    lookUp.count?.shard ?? null,
    lookUp.count?.checked ?? null,
  ]);
  return new Set(JSON.parse(row!.on_whatsapp) as string[]);
}
