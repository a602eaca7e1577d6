import type { Queryable } from './database.js';

/**
 * How many rows of each kind to add, for load tests of a grown database. Row i of a kind has
 * the wa_id `prefix + (2000000 + i)`: with a 4-digit prefix (1 + area code) that is a US
 * number of exchange 200 and up, valid by the numbering plan for at most 8,000,000 rows.
 */
export interface BulkSeed {
  now: number;
  /** Blocked contacts, blocked in order i (seq), reason 'seed'. */
  blocks?: { prefix: string; count: number };
  /**
   * Fresh 'valid' results in the contacts cache, checked at `now`. With `inputsContext` (a
   * PhoneNormalizer's context, US business), each number's input is kept in check_inputs as
   * it was sent, row i in format i % 4 of Meta's examples: `+1 631 200 0000`, `16312000000`,
   * `+1 (631) 200-0000`, `631-200-0000`.
   */
  contactChecks?: { prefix: string; count: number; inputsContext?: string };
  /** Registered accounts with an acknowledged identity created at `now`. */
  accounts?: { prefix: string; count: number };
  /**
   * Inbound messages: `perContact` each for contacts 0 … contacts-1, message j of a contact
   * received j seconds before `now` (so j = 0 is the newest), id `seededMessageId(waId, j)`.
   */
  inboundMessages?: { prefix: string; contacts: number; perContact: number };
}

/** wa_id of row i of a kind, as seedBulk writes it. */
export const seededWaId = (prefix: string, i: number): string => `${prefix}${2_000_000 + i}`;

/** Id of message j of a seeded contact (j = 0 is the newest). */
export const seededMessageId = (waId: string, j: number): string => `wamid.seed.${waId}.${j}`;

const MAX_ROWS = 8_000_000;
/** One message a second, all inside the 24-hour engagement window. */
const MAX_MESSAGES_PER_CONTACT = 80_000;

/**
 * One INSERT … SELECT FROM generate_series per kind: a million rows in seconds instead of a
 * million API calls. Existing rows are left as they are (ON CONFLICT DO NOTHING).
 */
export async function seedBulk(q: Queryable, seed: BulkSeed): Promise<void> {
  for (const kind of [seed.blocks, seed.contactChecks, seed.accounts]) {
    if (kind && (!/^\d{4}$/.test(kind.prefix) || !Number.isSafeInteger(kind.count) || kind.count > MAX_ROWS))
      throw new RangeError(`seedBulk: prefix must be 4 digits and count at most ${MAX_ROWS}`);
  }
  const messages = seed.inboundMessages;
  if (
    messages &&
    (!/^\d{4}$/.test(messages.prefix) ||
      !Number.isSafeInteger(messages.contacts) ||
      messages.contacts > MAX_ROWS ||
      !Number.isSafeInteger(messages.perContact) ||
      messages.perContact > MAX_MESSAGES_PER_CONTACT)
  )
    throw new RangeError(
      `seedBulk: prefix must be 4 digits, contacts at most ${MAX_ROWS} and perContact at most ${MAX_MESSAGES_PER_CONTACT}`,
    );
  if (seed.blocks?.count)
    await q.query(
      `INSERT INTO blocks (wa_id, reason, blocked_at)
       SELECT $1::text || (2000000 + i)::text, 'seed', $3::bigint FROM generate_series(0, $2::int - 1) AS i
       ORDER BY i ON CONFLICT (wa_id) DO NOTHING`,
      [seed.blocks.prefix, seed.blocks.count, seed.now],
    );
  if (seed.contactChecks?.count)
    await q.query(
      `INSERT INTO contact_checks (wa_id, status, checked_at)
       SELECT $1::text || (2000000 + i)::text, 'valid', $3::bigint FROM generate_series(0, $2::int - 1) AS i
       ON CONFLICT (wa_id) DO NOTHING`,
      [seed.contactChecks.prefix, seed.contactChecks.count, seed.now],
    );
  if (seed.contactChecks?.count && seed.contactChecks.inputsContext)
    await q.query(
      `INSERT INTO check_inputs (context, input, kind, wa_id)
       SELECT $3, CASE i % 4
           WHEN 0 THEN '+1 ' || substr(w, 2, 3) || ' ' || substr(w, 5, 3) || ' ' || substr(w, 8)
           WHEN 1 THEN w
           WHEN 2 THEN '+1 (' || substr(w, 2, 3) || ') ' || substr(w, 5, 3) || '-' || substr(w, 8)
           ELSE substr(w, 2, 3) || '-' || substr(w, 5, 3) || '-' || substr(w, 8)
         END, 'valid', w
       FROM generate_series(0, $2::int - 1) AS i, LATERAL (SELECT $1::text || (2000000 + i)::text AS w) AS wa
       ON CONFLICT DO NOTHING`,
      [seed.contactChecks.prefix, seed.contactChecks.count, seed.contactChecks.inputsContext],
    );
  if (seed.accounts?.count)
    await q.query(
      `INSERT INTO accounts (wa_id, has_account, identity_hash, identity_created_at, identity_acknowledged, updated_at)
       SELECT $1::text || (2000000 + i)::text, true, encode(decode(substr(md5(i::text), 1, 16), 'hex'), 'base64'),
         $3::bigint, true, $3::bigint
       FROM generate_series(0, $2::int - 1) AS i
       ON CONFLICT (wa_id) DO NOTHING`,
      [seed.accounts.prefix, seed.accounts.count, seed.now],
    );
  if (messages?.contacts && messages.perContact)
    await q.query(
      `INSERT INTO inbound_messages (id, wa_id, body, received_at)
       SELECT 'wamid.seed.' || w || '.' || j::text, w, 'seed', $4::bigint - j::bigint * 1000
       FROM generate_series(0, $2::int - 1) AS c, generate_series(0, $3::int - 1) AS j,
         LATERAL (SELECT $1::text || (2000000 + c)::text AS w) AS wa
       ON CONFLICT (id) DO NOTHING`,
      [messages.prefix, messages.contacts, messages.perContact, seed.now],
    );
  // As a database in use for weeks: statistics fresh, hint bits and visibility map set (PGlite
  // has no autovacuum, and the first reads of fresh rows would otherwise write every page).
  await q.query(
    'VACUUM (FREEZE, ANALYZE) blocks, blocks_buckets, blocks_totals, contact_checks, check_inputs, accounts, inbound_messages',
  );
}
