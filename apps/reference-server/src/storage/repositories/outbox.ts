import type { Queryable } from '../database.js';

// Held for the claim's transaction: claims by instances sharing the database take turns, so
// together they never have more callbacks in flight than the setting allows.
const CLAIM_LOCK_KEY = 4_207_150_003;

export interface NewCallback {
  contact: string;
  payload: string;
  /** Sandbox time. */
  now: number;
  /** callback_persist false: the instance that keeps it; undefined: persisted. */
  memoryOwner: string | undefined;
}

export async function insertCallback(q: Queryable, c: NewCallback): Promise<void> {
  await q.query(
    `INSERT INTO webhook_callbacks (contact, payload, created_at, next_attempt_at, memory_owner)
     VALUES ($1, $2, $3, $3, $4)`,
    [c.contact, c.payload, c.now, c.memoryOwner ?? null],
  );
}

export interface ClaimedCallback {
  id: number;
  payload: string;
  attempt: number;
  failures: number;
  leaseUntil: number;
}

export interface ClaimOptions {
  instance: string;
  /** Sandbox time: what is due. */
  now: number;
  /** Real time: leases are real time, so a clock move never frees a callback being POSTed. */
  realNow: number;
  leaseMs: number;
  maxInFlight: number;
}

/**
 * Leases the due callbacks that may go out now: the oldest pending one of each contact (order
 * per contact), no more than leaves maxInFlight leased over every instance.
 */
export async function claimDueCallbacks(tx: Queryable, o: ClaimOptions): Promise<ClaimedCallback[]> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK_KEY]);
  const [leased] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM webhook_callbacks WHERE delivered_at IS NULL AND lease_until > $1',
    [o.realNow],
  );
  const free = o.maxInFlight - leased!.n;
  if (free <= 0) return [];
  return tx.query<ClaimedCallback>(
    `WITH due AS (
       SELECT c.id FROM webhook_callbacks c
       WHERE c.delivered_at IS NULL AND c.next_attempt_at <= $1
         AND (c.lease_until IS NULL OR c.lease_until <= $2)
         AND (c.memory_owner IS NULL OR c.memory_owner = $3)
         AND NOT EXISTS (SELECT 1 FROM webhook_callbacks o
                         WHERE o.contact = c.contact AND o.delivered_at IS NULL AND o.id < c.id)
       ORDER BY c.id LIMIT $4
       FOR UPDATE SKIP LOCKED
     )
     UPDATE webhook_callbacks w SET lease_until = $2::bigint + $5::bigint, attempts = w.attempts + 1
     FROM due WHERE w.id = due.id
     RETURNING w.id::int AS id, w.payload, w.attempts AS attempt, w.failures, w.lease_until AS "leaseUntil"`,
    [o.now, o.realNow, o.instance, free, o.leaseMs],
  );
}

export interface AttemptResult {
  startedAt: number;
  durationMs: number;
  httpStatus: number | undefined;
  error: string | undefined;
}

/**
 * Records an attempt of a claimed callback and ends its lease: delivered at deliveredAt, or
 * due again at retryAt. Nothing when the lease was lost (another instance took it over).
 */
export async function finishAttempt(
  tx: Queryable,
  c: ClaimedCallback,
  result: AttemptResult,
  outcome: { deliveredAt: number } | { retryAt: number },
): Promise<void> {
  const delivered = 'deliveredAt' in outcome;
  const rows = await tx.query(
    `UPDATE webhook_callbacks SET lease_until = NULL,
       delivered_at = $3, failures = failures + $4, next_attempt_at = COALESCE($5, next_attempt_at)
     WHERE id = $1 AND lease_until = $2 RETURNING id`,
    [c.id, c.leaseUntil, delivered ? outcome.deliveredAt : null, delivered ? 0 : 1, delivered ? null : outcome.retryAt],
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO webhook_attempts (callback_id, attempt, started_at, duration_ms, http_status, error)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.id, c.attempt, result.startedAt, result.durationMs, result.httpStatus ?? null, result.error ?? null],
  );
}

/** When to look again: the earliest sandbox time a pending callback is due, and the earliest real time a lease ends. */
export async function nextWake(
  q: Queryable,
  instance: string,
): Promise<{ due: number | null; leaseEnd: number | null }> {
  const [row] = await q.query<{ due: number | null; leaseEnd: number | null }>(
    `SELECT min(next_attempt_at) FILTER (WHERE lease_until IS NULL) AS due, min(lease_until) AS "leaseEnd"
     FROM webhook_callbacks
     WHERE delivered_at IS NULL AND (memory_owner IS NULL OR memory_owner = $1)`,
    [instance],
  );
  return row!;
}

/** callback_persist false: what an instance kept for itself goes when it stops. */
export async function dropMemoryCallbacks(q: Queryable, instance: string): Promise<void> {
  await q.query('DELETE FROM webhook_callbacks WHERE memory_owner = $1 AND delivered_at IS NULL', [instance]);
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

/** Pending again, due at now, with a fresh back-off; false when there is no such callback. */
export async function redeliverCallback(q: Queryable, id: number, now: number, instance: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE webhook_callbacks SET delivered_at = NULL, failures = 0, next_attempt_at = $2
     WHERE id = $1 AND (memory_owner IS NULL OR memory_owner = $3)
     RETURNING id`,
    [id, now, instance],
  );
  return rows.length > 0;
}
