import type { Queryable } from '../database.js';

// Held for the claim's transaction: claims by instances sharing the database take turns, so
// together they never have more callbacks in flight than the setting allows.
const CLAIM_LOCK_KEY = 4_207_150_003;
// In an upsert of webhook_queues: the new callback goes out next (its head is not out now).
const HEAD_REPLACED = 'webhook_queues.lease_until IS NULL AND excluded.head_id <= webhook_queues.head_id';

export interface NewCallback {
  contact: string;
  payload: string;
  /** Sandbox time. */
  now: number;
  /** callback_persist false: the instance that keeps it; undefined: persisted. */
  memoryOwner: string | undefined;
}

// Queues (or re-queues) callback rows of cte `c` (id, contact, next_attempt_at, memory_owner) on
// their contacts. A lower id than the head (a later id committed first, a redelivery) becomes the
// head unless the head is out, and is found after it otherwise (scan_from).
const ENQUEUE = `INSERT INTO webhook_queues (contact, head_id, scan_from, next_attempt_at, memory_owner)
  SELECT contact, id, id, next_attempt_at, memory_owner FROM c
  ON CONFLICT (contact) DO UPDATE SET
    scan_from = LEAST(webhook_queues.scan_from, excluded.scan_from),
    head_id = CASE WHEN ${HEAD_REPLACED} THEN excluded.head_id ELSE webhook_queues.head_id END,
    next_attempt_at = CASE WHEN ${HEAD_REPLACED} THEN excluded.next_attempt_at ELSE webhook_queues.next_attempt_at END,
    memory_owner = CASE WHEN ${HEAD_REPLACED} THEN excluded.memory_owner ELSE webhook_queues.memory_owner END
  RETURNING contact`;

export async function insertCallback(q: Queryable, c: NewCallback): Promise<void> {
  await q.query(
    `WITH c AS (
       INSERT INTO webhook_callbacks (contact, payload, created_at, next_attempt_at, memory_owner)
       VALUES ($1, $2, $3, $3, $4) RETURNING id, contact, next_attempt_at, memory_owner
     ) ${ENQUEUE}`,
    [c.contact, c.payload, c.now, c.memoryOwner ?? null],
  );
}

export interface ClaimedCallback {
  id: number;
  contact: string;
  payload: string;
  failures: number;
  /** The head of the queue leased for it: the lease it goes out under. */
  head: number;
  leaseUntil: number;
}

/** A leased queue's head, then its next pending callbacks, in the order they go out. */
export interface ClaimedRun {
  contact: string;
  leaseUntil: number;
  callbacks: ClaimedCallback[];
}

export interface ClaimOptions {
  instance: string;
  /** Sandbox time: what is due. */
  now: number;
  /** Real time: leases are real time, so a clock move never frees a callback being POSTed. */
  realNow: number;
  leaseMs: number;
  maxInFlight: number;
  /** How many queues this claim leases at most (within maxInFlight). */
  maxRuns: number;
  /** How many callbacks a run holds at most, its head included. */
  runLength: number;
}

/**
 * Leases the due heads of the contacts' queues, earliest due first, no more than leaves
 * maxInFlight leased over every instance, and maxRuns at most; each with the contact's next pending callbacks
 * (in id order, up to the first not due or kept by another instance), which the lease's holder
 * POSTs one after another.
 */
export async function claimDueCallbacks(tx: Queryable, o: ClaimOptions): Promise<ClaimedRun[]> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK_KEY]);
  const rows = await tx.query<ClaimedCallback & { eligible: boolean }>(
    `WITH due AS (
       SELECT contact FROM webhook_queues
       WHERE next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $2)
         AND (memory_owner IS NULL OR memory_owner = $3)
       ORDER BY next_attempt_at, head_id
       LIMIT LEAST($7::int, GREATEST(0, $4::int - (SELECT count(*) FROM webhook_queues WHERE lease_until > $2)))
       FOR UPDATE SKIP LOCKED
     ), leased AS (
       UPDATE webhook_queues q SET lease_until = $2::bigint + $5::bigint
       FROM due WHERE q.contact = due.contact RETURNING q.contact, q.head_id, q.lease_until
     )
     SELECT c.id::int AS id, l.contact, c.payload, c.failures, l.head_id::int AS head, l.lease_until AS "leaseUntil",
       (c.id = l.head_id OR (c.next_attempt_at <= $1 AND (c.memory_owner IS NULL OR c.memory_owner = $3))) AS eligible
     FROM leased l CROSS JOIN LATERAL (
       SELECT c.* FROM webhook_callbacks c
       WHERE c.contact = l.contact AND c.delivered_at IS NULL AND c.id >= l.head_id
       ORDER BY c.id LIMIT $6
     ) c
     ORDER BY l.contact, c.id`,
    [o.now, o.realNow, o.instance, o.maxInFlight, o.leaseMs, o.runLength, o.maxRuns],
  );
  const runs: ClaimedRun[] = [];
  let contact: string | undefined;
  let cut = false;
  for (const { eligible, ...callback } of rows) {
    if (callback.contact !== contact) {
      contact = callback.contact;
      cut = false;
    }
    // In order: a run ends at the first callback this instance may not send now (the head may always go).
    cut ||= !eligible;
    if (cut) continue;
    const run = runs.at(-1);
    if (run?.contact === contact) run.callbacks.push(callback);
    else runs.push({ contact, leaseUntil: callback.leaseUntil, callbacks: [callback] });
  }
  return runs;
}

export interface AttemptResult {
  startedAt: number;
  durationMs: number;
  httpStatus: number | undefined;
  error: string | undefined;
}

export interface FinishedAttempt {
  callback: ClaimedCallback;
  result: AttemptResult;
  /** Sandbox times: delivered at deliveredAt, or due again at retryAt. */
  outcome: { deliveredAt: number } | { retryAt: number };
}

/**
 * Records attempts of claimed callbacks (several of a run per queue) and ends their leases, in
 * one statement for the lot; then moves each queue on to its next head. Attempts are numbered
 * here, when recorded: a POST whose end no round recorded (the instance died) is not counted.
 * An attempt whose lease was lost (another instance took the queue over) records nothing.
 * Returns the ids recorded.
 */
export async function finishAttempts(tx: Queryable, finished: readonly FinishedAttempt[]): Promise<number[]> {
  if (finished.length === 0) return [];
  const column = <T>(pick: (f: FinishedAttempt) => T) => finished.map(pick);
  const kept = await tx.query<{ id: number; contact: string }>(
    `WITH r AS (
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],
                            $6::bigint[], $7::bigint[], $8::int[], $9::int[], $10::text[])
         AS r(contact, id, head, lease, delivered_at, retry_at, started_at, duration_ms, http_status, error)
     ), queues AS (
       UPDATE webhook_queues q SET lease_until = NULL
       FROM (SELECT DISTINCT contact, head, lease FROM r) l
       WHERE q.contact = l.contact AND q.head_id = l.head AND q.lease_until = l.lease
       RETURNING q.contact
     ), done AS (
       UPDATE webhook_callbacks c SET delivered_at = r.delivered_at, attempts = c.attempts + 1,
         failures = c.failures + CASE WHEN r.delivered_at IS NULL THEN 1 ELSE 0 END,
         next_attempt_at = COALESCE(r.retry_at, c.next_attempt_at)
       FROM r JOIN queues USING (contact) WHERE c.id = r.id
       RETURNING c.id, c.contact, c.attempts
     ), logged AS (
       INSERT INTO webhook_attempts (callback_id, attempt, started_at, duration_ms, http_status, error)
       SELECT r.id, done.attempts, r.started_at, r.duration_ms, r.http_status, r.error FROM done JOIN r USING (id)
     )
     SELECT id::int AS id, contact FROM done ORDER BY id`,
    [
      column((f) => f.callback.contact),
      column((f) => f.callback.id),
      column((f) => f.callback.head),
      column((f) => f.callback.leaseUntil),
      column((f) => ('deliveredAt' in f.outcome ? f.outcome.deliveredAt : null)),
      column((f) => ('retryAt' in f.outcome ? f.outcome.retryAt : null)),
      column((f) => f.result.startedAt),
      column((f) => f.result.durationMs),
      column((f) => f.result.httpStatus ?? null),
      column((f) => f.result.error ?? null),
    ],
  );
  // The statement above locked these queues: no event can slip a callback past the next one.
  await advanceQueues(tx, [...new Set(kept.map((k) => k.contact))]);
  return kept.map((k) => k.id);
}

/**
 * Points the unleased queues of contacts at their oldest pending callback, or deletes them when
 * none is left. The caller holds their row locks (from an earlier statement), so a callback
 * queued meanwhile either is visible here or re-creates the queue once this commits.
 */
async function advanceQueues(tx: Queryable, contacts: readonly string[]): Promise<void> {
  if (contacts.length === 0) return;
  await tx.query(
    `WITH next AS (
       SELECT q.contact, n.id, n.next_attempt_at, n.memory_owner
       FROM webhook_queues q
       LEFT JOIN LATERAL (
         SELECT c.id, c.next_attempt_at, c.memory_owner FROM webhook_callbacks c
         WHERE c.contact = q.contact AND c.delivered_at IS NULL AND c.id >= q.scan_from
         ORDER BY c.id LIMIT 1
       ) n ON true
       WHERE q.contact = ANY($1::text[]) AND q.lease_until IS NULL
     ), emptied AS (
       DELETE FROM webhook_queues q USING next WHERE q.contact = next.contact AND next.id IS NULL
     )
     UPDATE webhook_queues q SET head_id = next.id, scan_from = next.id,
       next_attempt_at = next.next_attempt_at, memory_owner = next.memory_owner
     FROM next WHERE q.contact = next.contact AND next.id IS NOT NULL`,
    [contacts],
  );
}

// A head's due time while it is free, NULL while leased: the expression of webhook_queues_free_idx (migration 012).
const FREE_DUE = 'CASE WHEN lease_until IS NULL THEN next_attempt_at END';

/** When to look again: the earliest sandbox time a free head is due, and the earliest real time a lease ends. */
export async function nextWake(
  q: Queryable,
  instance: string,
): Promise<{ due: number | null; leaseEnd: number | null }> {
  const [row] = await q.query<{ due: number | null; leaseEnd: number | null }>(
    `SELECT (SELECT ${FREE_DUE} FROM webhook_queues WHERE memory_owner IS NULL OR memory_owner = $1
             ORDER BY ${FREE_DUE} LIMIT 1) AS due,
            (SELECT min(lease_until) FROM webhook_queues WHERE lease_until IS NOT NULL) AS "leaseEnd"`,
    [instance],
  );
  return row!;
}

/** callback_persist false: what an instance kept for itself goes when it stops (after its leases ended). */
export async function dropMemoryCallbacks(tx: Queryable, instance: string): Promise<void> {
  const dropped = await tx.query<{ contact: string }>(
    `WITH d AS (DELETE FROM webhook_callbacks WHERE memory_owner = $1 AND delivered_at IS NULL RETURNING id, contact),
     attempts AS (DELETE FROM webhook_attempts WHERE callback_id IN (SELECT id FROM d))
     SELECT DISTINCT contact FROM d`,
    [instance],
  );
  const contacts = dropped.map((d) => d.contact);
  if (contacts.length === 0) return;
  await tx.query('SELECT contact FROM webhook_queues WHERE contact = ANY($1::text[]) FOR UPDATE', [contacts]);
  await advanceQueues(tx, contacts);
}

export interface CallbackRecord {
  id: number;
  contact: string;
  payload: string;
  createdAt: number;
  deliveredAt: number | null;
  nextAttemptAt: number | null;
  persisted: boolean;
  attempts: Array<{
    attempt: number;
    startedAt: number;
    durationMs: number;
    httpStatus: number | null;
    error: string | null;
  }>;
}

/** The delivery log, newest first; a callback kept in memory by another instance is not this one's to show. */
export async function listCallbacks(q: Queryable, instance: string, limit: number): Promise<CallbackRecord[]> {
  return q.query<CallbackRecord>(
    `SELECT c.id::int AS id, c.contact, c.payload, c.created_at AS "createdAt", c.delivered_at AS "deliveredAt",
       CASE WHEN c.delivered_at IS NULL THEN c.next_attempt_at END AS "nextAttemptAt",
       c.memory_owner IS NULL AS persisted,
       COALESCE((SELECT json_agg(json_build_object('attempt', a.attempt, 'startedAt', a.started_at,
                   'durationMs', a.duration_ms, 'httpStatus', a.http_status, 'error', a.error) ORDER BY a.attempt)
                 FROM webhook_attempts a WHERE a.callback_id = c.id), '[]'::json) AS attempts
     FROM webhook_callbacks c
     WHERE c.memory_owner IS NULL OR c.memory_owner = $1
     ORDER BY c.id DESC LIMIT $2`,
    [instance, limit],
  );
}

/**
 * The delivery log's bound: deletes, oldest first and `limit` at most, the delivered callbacks
 * (and their attempts: no foreign key cascades, see migration 014) that are not among the newest
 * `keep` callbacks queued. A pending one stays however old; one another instance is deleting (or
 * redelivering) is left to it. Returns how many were deleted.
 */
export async function pruneDeliveredCallbacks(q: Queryable, keep: number, limit: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    // = ANY of an array, not a join: planned without statistics, a join hashed a scan of every row.
    `WITH old AS (
       SELECT ARRAY(
         SELECT id FROM webhook_callbacks
         WHERE delivered_at IS NOT NULL AND id <= (SELECT max(id) FROM webhook_callbacks) - $1::bigint
         ORDER BY id LIMIT $2
         FOR UPDATE SKIP LOCKED
       ) AS ids
     ), attempts AS (
       DELETE FROM webhook_attempts WHERE callback_id = ANY((SELECT ids FROM old)::bigint[])
     ), gone AS (
       DELETE FROM webhook_callbacks WHERE id = ANY((SELECT ids FROM old)::bigint[]) RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [keep, limit],
  );
  return rows[0]!.n;
}

/** Pending again, due at now, with a fresh back-off; false when there is no such callback. */
export async function redeliverCallback(q: Queryable, id: number, now: number, instance: string): Promise<boolean> {
  const rows = await q.query(
    `WITH c AS (
       UPDATE webhook_callbacks SET delivered_at = NULL, failures = 0, next_attempt_at = $2
       WHERE id = $1 AND (memory_owner IS NULL OR memory_owner = $3)
       RETURNING id, contact, next_attempt_at, memory_owner
     ) ${ENQUEUE}`,
    [id, now, instance],
  );
  return rows.length > 0;
}
