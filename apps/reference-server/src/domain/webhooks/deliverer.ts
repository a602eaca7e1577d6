import type { Clock } from '../../clock.js';
import {
  claimDueCallbacks,
  dropMemoryCallbacks,
  finishAttempts,
  getSettings,
  nextWake,
  pruneDeliveredCallbacks,
  type AttemptResult,
  type ClaimedCallback,
  type ClaimedRun,
  type Database,
  type AppSettings,
  type FinishedAttempt,
  SETTINGS_CHANNEL,
} from '../../storage/index.js';
import { CLOCK_CHANNEL } from '../clock-sync.js';
import type { ApiPriority } from './api-priority.js';
import { backoffDelayMs } from './backoff.js';
import { OUTBOX_CHANNEL } from './events.js';
import { postCallback } from './post.js';

// Past the timeout, a lease this much longer lets a dead instance's callback go out elsewhere.
const LEASE_MARGIN_MS = 5_000;
// A run POSTs the next callback only if it starts within this long of the claim: it ends within its lease.
const RUN_BUDGET_MS = 1_000;
// Callbacks of one contact a claim leases at most: one slot sends them one after another.
const RUN_LENGTH = 16;
// Runs in flight at most while the API is in use: a batch of POST ends holds the loop less. Runs stay
// RUN_LENGTH long: a PGlite round costs ~5 ms however few callbacks it records (4 per run: 3x the CPU per callback).
export const API_ACTIVE_SLOTS = 8;
// A missed notification costs at most this much delay.
const MAX_IDLE_MS = 5_000;
// Without a wake-up time (a round that claimed skips the query), a retry due meanwhile waits at most this long.
const BUSY_RECHECK_MS = 1_000;
// The delivery log is cut this often, while callbacks are delivered: a statement per second at most.
const PRUNE_EVERY_MS = 1_000;
// Callbacks a prune statement deletes at most: about 2 ms of PGlite's one connection (9 µs each).
const PRUNE_BATCH = 200;

export interface DelivererOptions {
  db: Database;
  clock: Clock;
  instance: string;
  timeoutMs: number;
  onError: (error: unknown) => void;
  /** While the API is in use, delivery takes a bounded share of the event loop (none: always full speed). */
  priority?: ApiPriority;
  /** How long after its claim a run may start a POST (RUN_BUDGET_MS); its lease is that much longer. */
  runBudgetMs?: number;
  /** The delivery log's bound (WA_WEBHOOK_LOG_KEEP): delivered callbacks older than the newest this many are deleted. */
  logKeep: number;
}

/**
 * POSTs the outbox to webhooks.url, at least once, in order per contact, with Meta's back-off
 * timed on the sandbox clock. Wakes on a new callback or a clock move from any instance, when
 * a delivery ends, when the next retry falls due, and every MAX_IDLE_MS. A round records the
 * runs that ended since the last one and claims as many runs as there are free slots, in one
 * transaction. A run is a contact's due callbacks in id order, POSTed one after another under
 * one lease, up to the first that fails. While the API is in use (see ApiPriority), rounds
 * and POSTs wait their turn, and fewer runs are in flight. Once a second after a delivery, the
 * delivered callbacks older than the newest logKeep are deleted.
 */
export class WebhookDeliverer {
  #timer: NodeJS.Timeout | undefined;
  #round$: Promise<void> | undefined;
  #soon: NodeJS.Immediate | undefined;
  #again = false;
  #closed = false;
  readonly #inFlight = new Set<Promise<void>>();
  /** Attempts that ended, for the next round to record (their leases still count as in flight until then). */
  #finished: FinishedAttempt[] = [];
  /** max_concurrent_requests as of the last round: a new event finds no free slot while this many are out. */
  #slots = Number.POSITIVE_INFINITY;
  #unlisten: Array<() => Promise<void>> = [];
  /** The settings, read again after a change notified by any instance (or a notification missed). */
  #settings: AppSettings | undefined;
  /** Counts those notifications: a read begun before one is not kept. */
  #settingsVersion = 0;
  /** A delivery was recorded since the last prune. */
  #pruneDue = false;
  #prune$: Promise<void> | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: DelivererOptions) {}

  async start(): Promise<void> {
    const poke = () => this.poke();
    // Every slot busy: the delivery that frees one pokes, so an event's round would claim nothing.
    const onEvent = () => {
      if (this.#inFlight.size < this.#slots) this.poke();
    };
    const onSettings = () => {
      this.#settingsVersion++;
      this.#settings = undefined;
      this.poke();
    };
    this.#unlisten = [
      await this.o.db.listen(OUTBOX_CHANNEL, onEvent),
      await this.o.db.listen(CLOCK_CHANNEL, poke),
      await this.o.db.listen(SETTINGS_CHANNEL, onSettings),
    ];
    this.#pruneTimer = setInterval(() => {
      if (!this.#pruneDue || this.#prune$) return;
      this.#prune$ = this.#prune()
        .catch(this.o.onError)
        .finally(() => {
          this.#prune$ = undefined;
        });
    }, PRUNE_EVERY_MS);
    this.#pruneTimer.unref();
    this.poke();
  }

  poke(): void {
    if (this.#closed) return;
    if (this.#round$) {
      this.#again = true;
      return;
    }
    if (this.#soon) return;
    // After the I/O already waiting (ended POSTs, API requests): one round records those POSTs
    // together, and PGlite's synchronous work in rounds back to back does not starve them.
    this.#soon = setImmediate(() => {
      this.#soon = undefined;
      this.#start();
    });
  }

  #start(): void {
    if (this.#closed) return;
    this.#round$ = this.#round()
      .catch((error) => {
        this.o.onError(error);
        this.#schedule(MAX_IDLE_MS);
      })
      .finally(() => {
        this.#round$ = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  async #round(): Promise<void> {
    const { db, clock, instance, timeoutMs } = this.o;
    const wait = this.o.priority?.turn();
    if (wait) await wait;
    if (this.#closed) return;
    // Read once per round: the limits of a claim and of the slots it may fill.
    const yielding = this.o.priority?.active === true;
    const finished = this.#finished.splice(0);
    const { settings, claimed, wake } = await db
      .transaction(async (tx) => {
        await finishAttempts(tx, finished);
        const settings = this.#settings ?? (await this.#readSettings(tx));
        const slots = yielding
          ? Math.min(API_ACTIVE_SLOTS, settings.webhooks.max_concurrent_requests)
          : settings.webhooks.max_concurrent_requests;
        const free = settings.webhooks.url && this.#inFlight.size < slots;
        const claimed = free
          ? await claimDueCallbacks(tx, {
              instance,
              now: clock.now(),
              realNow: Date.now(),
              leaseMs: timeoutMs + LEASE_MARGIN_MS + (this.o.runBudgetMs ?? RUN_BUDGET_MS),
              maxInFlight: settings.webhooks.max_concurrent_requests,
              maxRuns: slots - this.#inFlight.size,
              runLength: RUN_LENGTH,
            })
          : [];
        // Callbacks just claimed poke a round when they end: the next wake-up can wait till then.
        return { settings, claimed, wake: claimed.length > 0 ? undefined : await nextWake(tx, instance) };
      })
      .catch((error: unknown) => {
        // Not recorded: the next round tries again, while the leases hold.
        this.#finished.unshift(...finished);
        throw error;
      });
    this.#slots = settings.webhooks.max_concurrent_requests;
    if (finished.some((f) => 'deliveredAt' in f.outcome)) this.#pruneDue = true;
    const url = settings.webhooks.url;
    for (const run of claimed) {
      const post = this.#run(url!, run, settings.callback_backoff_delay_ms, settings.max_callback_backoff_delay_ms)
        .then((done) => {
          this.#finished.push(...done);
        })
        .catch(this.o.onError)
        .finally(() => {
          this.#inFlight.delete(post);
          this.poke();
        });
      this.#inFlight.add(post);
    }
    const delays = [wake ? MAX_IDLE_MS : BUSY_RECHECK_MS];
    if (url && wake?.due != null) delays.push(wake.due - clock.now());
    if (wake?.leaseEnd != null) delays.push(wake.leaseEnd - Date.now());
    this.#schedule(Math.max(0, Math.min(...delays)));
  }

  async #readSettings(tx: Parameters<typeof getSettings>[0]): Promise<AppSettings> {
    const version = this.#settingsVersion;
    const settings = await getSettings(tx);
    if (version === this.#settingsVersion) this.#settings = settings;
    return settings;
  }

  /** Deletes what the log no longer keeps, a batch at a time, each batch taking its turn after the API. */
  async #prune(): Promise<void> {
    this.#pruneDue = false;
    let deleted = PRUNE_BATCH;
    while (deleted === PRUNE_BATCH && !this.#closed) {
      const wait = this.o.priority?.turn();
      if (wait) await wait;
      if (this.#closed) return;
      deleted = await pruneDeliveredCallbacks(this.o.db, this.o.logKeep, PRUNE_BATCH);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.poke(), delayMs);
    this.#timer.unref();
  }

  /** POSTs a run's callbacks one after another, up to the first that fails or one that might outlast the lease. */
  async #run(url: string, run: ClaimedRun, stepMs: number, maxMs: number): Promise<FinishedAttempt[]> {
    const done: FinishedAttempt[] = [];
    for (const callback of run.callbacks) {
      if (done.length > 0) {
        const wait = this.o.priority?.turn();
        if (wait) await wait;
      }
      if (done.length > 0 && (this.#closed || Date.now() + this.o.timeoutMs + LEASE_MARGIN_MS > run.leaseUntil)) break;
      const attempt = await this.#deliver(url, callback, stepMs, maxMs);
      done.push(attempt);
      if (!('deliveredAt' in attempt.outcome)) break;
    }
    return done;
  }

  async #deliver(url: string, callback: ClaimedCallback, stepMs: number, maxMs: number): Promise<FinishedAttempt> {
    const { clock, timeoutMs } = this.o;
    const startedAt = clock.now();
    const t0 = performance.now();
    const result: AttemptResult = { startedAt, durationMs: 0, httpStatus: undefined, error: undefined };
    const { httpStatus, error } = await postCallback(url, callback.payload, timeoutMs);
    result.httpStatus = httpStatus;
    result.error = error;
    result.durationMs = Math.round(performance.now() - t0);
    // The end of the attempt, on the sandbox clock: the back-off counts from there.
    const now = startedAt + result.durationMs;
    const ok = result.httpStatus !== undefined && result.httpStatus >= 200 && result.httpStatus < 300;
    const outcome = ok ? { deliveredAt: now } : { retryAt: now + backoffDelayMs(callback.failures + 1, stepMs, maxMs) };
    return { callback, result, outcome };
  }

  /** Stops delivering; POSTs in flight end (their callbacks stay pending if unanswered). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#pruneTimer);
    clearImmediate(this.#soon);
    this.o.priority?.close();
    for (const stop of this.#unlisten) await stop();
    await this.#round$;
    await this.#prune$;
    await Promise.allSettled([...this.#inFlight]);
    const finished = this.#finished.splice(0);
    await this.o.db
      .transaction(async (tx) => {
        await finishAttempts(tx, finished);
        await dropMemoryCallbacks(tx, this.o.instance);
      })
      .catch(this.o.onError);
  }
}
