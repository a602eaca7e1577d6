import pLimit from 'p-limit';
import type { components } from '@wa-contacts/types';
import { DAY_MS } from '../clock.js';
import { tooManyRequests } from '../errors.js';
import {
  addCheckInputs,
  addPendingChecks,
  type CheckInput,
  getContactChecks,
  listPendingChecks,
  type PendingCheck,
  countCheckInputs,
  countResultPages,
  readCheckInputs,
  readIndexInputs,
  readResultPages,
  recordLookUp,
  type CheckStatus,
  type ContactCheck,
} from '../storage/index.js';
import { isValidWaId } from './phone.js';
import { CheckResultCache } from './check-cache.js';
import { CheckIndex } from './check-index.js';
import { CheckQueue } from './check-queue.js';
import { type Batch, type LookedUp, LookUpBatches } from './look-up-batches.js';
import { SecondSight } from './second-sight.js';
import { Turns } from './turns.js';
import type { ServerContext } from './context.js';
import type { MisuseRule } from './misuse.js';
import type { NormalizedNumber } from './phone.js';

type ContactCheckResult = components['schemas']['ContactCheckResult'];

const CACHE_TTL_MS = 7 * DAY_MS;
/** Numbers per background transaction: short enough for other queries to slip in between. */
export const CHECK_CHUNK_SIZE = 500;
/** Numbers normalized, or read or stored in one statement, per turn of a large request (10 to 40 ms). */
export const PLAN_SLICE = 1_000;
/** Large checks worked at once; the others wait, holding no more than their parsed body (memory). */
export const LARGE_CHECKS_AT_ONCE = 4;
/** A guess of a large check's pace until one has been measured, for Retry-After. */
const DEFAULT_LARGE_MS_PER_NUMBER = 0.1;
/** Pending checks read per query at start-up; the next page is read once the queue is this short. */
export const BACKLOG_PAGE_SIZE = 5_000;
/** Rows per statement of the start-up load of the index (before the server listens): PGlite's memory does not grow with the table. */
export const INDEX_PAGE_SIZE = 20_000;
/** Pages of contact_checks per statement of that load: about 20,000 results. */
export const RESULT_PAGES = 160;

interface CheckPlan {
  normalized: NormalizedNumber[];
  /** Beside `normalized`: the status an input's number had when planned (read for this request, or held by the index). */
  statuses: Array<CheckStatus | undefined>;
  /** The distinct numbers planned without a status, to look up (their status once known). */
  known: Map<string, CheckStatus | undefined>;
  /**
   * The numbers planned that are `possible` (v2.43; made for the first such number); every other one is a
   * real number, as normalizing found.
   */
  possible?: Set<string>;
}

const newPlan = (): CheckPlan => ({ normalized: [], statuses: [], known: new Map() });

/** What the in-process caches gave for a slice of a request's inputs (undefined: not held), and what they did not. */
interface Held {
  normalized: Array<NormalizedNumber | undefined>;
  unparsed: string[];
  /** The fresh result the index holds for each input, where it holds one (none for `force_check`). */
  statuses: Array<CheckStatus | undefined>;
}

/** What one read of check_inputs gave, for the request that made it (see SecondSight). */
interface Recalled {
  inputs: Map<string, NormalizedNumber>;
  results: Map<string, CheckStatus>;
}

export interface CheckOptions {
  wait: boolean;
  forceCheck: boolean;
}

/** What a load of the check index took in: inputs held, bytes of its table, milliseconds. */
export interface IndexLoad {
  inputs: number;
  bytes: number;
  ms: number;
}

// force_check reads only the inputs of check_inputs (a read of 100 costs a tenth of their 100 parses on PostgreSQL), no results.
const resultsSince = (options: CheckOptions, now: number): number | null =>
  options.forceCheck ? null : now - CACHE_TTL_MS;

/**
 * POST /v1/contacts. Each distinct number is looked up once: the in-memory cache first, then
 * the table for what it does not hold and the accounts, in slices of a request's numbers.
 * `no_wait` answers `processing` for what is not cached and finishes the check in the
 * background, through a bounded queue: beyond WA_CHECK_QUEUE_MAX numbers waiting, it is
 * refused (429) before anything is stored.
 */
export class ContactChecks {
  private readonly cache = new CheckResultCache();
  private readonly index: CheckIndex;
  private readonly secondSight = new SecondSight();
  private readonly queue: CheckQueue;
  private readonly lookUps = new LookUpBatches((batch) => this.storeLookUps(batch), PLAN_SLICE);
  /** Shared by every bulk step (slices of large checks, background chunks): one per loop iteration. */
  private readonly turns = new Turns();
  private readonly largeChecks = pLimit(LARGE_CHECKS_AT_ONCE);
  /** Large checks admitted and not finished, and the numbers of those waiting for their turn. */
  private largeAdmitted = 0;
  private largeWaiting = 0;
  private largeMsPerNumber = DEFAULT_LARGE_MS_PER_NUMBER;
  private backlog: Promise<void> = Promise.resolve();
  /** The index's load at start-up (loadIndexInBackground), settled when it ends however it ends. */
  private indexLoad: Promise<void> = Promise.resolve();
  private closing = false;
  /** Writes of newly parsed inputs to check_inputs, not waited for by the request that parsed them. */
  private readonly storing = new Set<Promise<void>>();

  constructor(
    private readonly ctx: ServerContext,
    private readonly misuse?: MisuseRule,
  ) {
    this.index = new CheckIndex(ctx.config.checkIndexMax, ctx.config.business.callingCode);
    this.queue = new CheckQueue({
      max: ctx.config.checkQueueMax,
      chunkSize: CHECK_CHUNK_SIZE,
      delayMs: ctx.config.checkDelayMs,
      pause: () => this.turns.next(),
      work: async (waIds) => void (await this.lookUp(waIds)),
      onError: (error) => ctx.log.error({ err: error }, 'background contact check failed'),
    });
  }

  /**
   * The results, without a promise when nothing is left to ask: every number in the in-memory
   * cache (and `force_check` off), or no number to check at all. Under load most checks are
   * of cached numbers, and a promise per request was a tenth of their CPU. A request of more
   * than PLAN_SLICE numbers is read in slices instead, so a burst of large ones cannot hold
   * the event loop away from every other request.
   */
  check(inputs: readonly string[], options: CheckOptions): ContactCheckResult[] | Promise<ContactCheckResult[]> {
    const now = this.ctx.clock.now();
    if (inputs.length > PLAN_SLICE) return this.checkLarge(inputs, options, now);
    const held = this.lookUpInputs(inputs, 0, inputs.length, resultsSince(options, now));
    if (held.unparsed.length > 0) return this.checkUnparsed(inputs, held, options, now);
    return this.checkPlanned(inputs, this.plan(inputs, 0, inputs.length, held), options, now);
  }

  private async checkUnparsed(
    inputs: readonly string[],
    held: Held,
    options: CheckOptions,
    now: number,
  ): Promise<ContactCheckResult[]> {
    const recalled = await this.recall(held.unparsed, resultsSince(options, now));
    return this.checkPlanned(inputs, this.plan(inputs, 0, inputs.length, held, undefined, recalled), options, now);
  }

  /**
   * Waits for a turn among the large checks, or is refused (429) at once when the numbers
   * waiting would pass WA_CHECK_QUEUE_MAX, instead of holding its parsed body in memory
   * (64 checks of 10,000 at once peaked at 259 MB on PGlite, 228 MB with this bound).
   */
  private async checkLarge(
    inputs: readonly string[],
    options: CheckOptions,
    now: number,
  ): Promise<ContactCheckResult[]> {
    const max = this.ctx.config.checkQueueMax;
    // Fewer than LARGE_CHECKS_AT_ONCE admitted: this one starts at once, holding no turn's place.
    const waits = this.largeAdmitted >= LARGE_CHECKS_AT_ONCE;
    if (waits && this.largeWaiting + inputs.length > max) {
      throw tooManyRequests(
        `Too many large contact checks are waiting for their turn (at most ${max} numbers). Please try again later.`,
        this.largeWaiting * this.largeMsPerNumber,
      );
    }
    this.largeAdmitted++;
    if (waits) this.largeWaiting += inputs.length;
    try {
      return await this.largeChecks(async () => {
        if (waits) this.largeWaiting -= inputs.length;
        const started = performance.now();
        const results = await this.checkInSlices(inputs, options, now);
        this.largeMsPerNumber = (performance.now() - started) / inputs.length;
        return results;
      });
    } finally {
      this.largeAdmitted--;
    }
  }

  private async checkInSlices(
    inputs: readonly string[],
    options: CheckOptions,
    now: number,
  ): Promise<ContactCheckResult[]> {
    const plan = newPlan();
    for (let from = 0; from < inputs.length; from += PLAN_SLICE) {
      if (from > 0) await this.turns.next();
      const to = Math.min(inputs.length, from + PLAN_SLICE);
      const held = this.lookUpInputs(inputs, from, to, resultsSince(options, now));
      const recalled =
        held.unparsed.length > 0 ? await this.recall(held.unparsed, resultsSince(options, now)) : undefined;
      this.plan(inputs, from, to, held, plan, recalled);
    }
    return this.checkPlanned(inputs, plan, options, now);
  }

  /** What the process holds of inputs[from, to), each looked up once, and the distinct inputs only a parse (or check_inputs) can normalize. */
  private lookUpInputs(inputs: readonly string[], from: number, to: number, freshSince: number | null): Held {
    const { phones } = this.ctx;
    const { index } = this;
    const normalized: Array<NormalizedNumber | undefined> = [];
    const unparsed = new Set<string>();
    // An array beside `normalized`, not a map by wa_id: a check of 10,000 cached numbers built a map of 10,000 entries here.
    const statuses: Array<CheckStatus | undefined> = [];
    for (let i = from; i < to; i++) {
      const input = inputs[i]!;
      const slot = index.slotOf(input);
      if (slot >= 0) {
        const n = index.normalizedAt(slot);
        normalized.push(n);
        statuses.push(freshSince === null || n.kind === 'failed' ? undefined : index.statusAt(slot, freshSince));
        continue;
      }
      const n = phones.known(input);
      normalized.push(n);
      statuses.push(undefined);
      if (n === undefined) unparsed.add(input);
    }
    return { normalized, unparsed: [...unparsed], statuses };
  }

  /**
   * Normalizes inputs new to this process: those in check_inputs from it, with their numbers'
   * results checked since freshSince in the same query, the rest parsed and stored there for
   * the next time. A re-check of a cached number costs no parse. What was read goes to the
   * in-process caches only for numbers read before (SecondSight), and always to the request.
   */
  private async recall(inputs: readonly string[], freshSince: number | null): Promise<Recalled> {
    const { db, phones } = this.ctx;
    const byKey = new Map<string, string[]>();
    for (const input of inputs) {
      const key = input.trim();
      const same = byKey.get(key);
      if (same) same.push(input);
      else byKey.set(key, [input]);
    }
    const stored = await readCheckInputs(db, phones.context, [...byKey.keys()], freshSince);
    const recalled: Recalled = { inputs: new Map(), results: new Map() };
    for (const row of stored) {
      const n: NormalizedNumber = { kind: row.kind, waId: row.waId };
      const result =
        row.status !== null && row.checkedAt !== null
          ? { waId: row.waId, status: row.status, checkedAt: row.checkedAt }
          : undefined;
      // The index evicts nothing: every input it can hold goes there (past its cap, none).
      const indexed = this.index.add(row.input, n, result);
      const keep = !indexed && this.secondSight.seenBefore(row.waId);
      for (const input of byKey.get(row.input) ?? []) {
        recalled.inputs.set(input, n);
        if (keep) phones.remember(input, n);
      }
      if (result !== undefined) {
        recalled.results.set(row.waId, result.status);
        if (keep) this.cache.remember([result]);
      }
      byKey.delete(row.input);
    }
    const parsed: CheckInput[] = [];
    for (const [key, same] of byKey) {
      for (const input of same) {
        const n = phones.normalize(input);
        if (input === same[0]) this.index.add(key, n);
        if (n.kind !== 'failed' && input === same[0]) parsed.push({ input: key, kind: n.kind, waId: n.waId });
      }
    }
    if (parsed.length > 0) this.store(parsed);
    return recalled;
  }

  private store(inputs: CheckInput[]): void {
    const write = addCheckInputs(this.ctx.db, this.ctx.phones.context, inputs).then(
      () => {},
      // Only a shortcut for later checks: they parse instead.
      (error: unknown) => this.ctx.log.warn({ err: error }, 'storing normalized check inputs failed'),
    );
    this.storing.add(write);
    void write.finally(() => this.storing.delete(write));
  }

  private checkPlanned(
    inputs: readonly string[],
    plan: CheckPlan,
    options: CheckOptions,
    now: number,
  ): ContactCheckResult[] | Promise<ContactCheckResult[]> {
    const missing = options.forceCheck ? [...plan.known.keys()] : this.fromCache(plan, now - CACHE_TTL_MS);
    if (missing.length === 0) return this.results(inputs, plan);
    return this.complete(inputs, plan, missing, options, now);
  }

  /** Fills in what the in-memory cache holds; returns the numbers it does not. */
  private fromCache({ known }: CheckPlan, freshSince: number): string[] {
    const missing: string[] = [];
    // forEach, not for…of [waId, status]: no entry array per number.
    known.forEach((recalled, waId) => {
      if (recalled !== undefined) return;
      const status = this.cache.get(waId, freshSince);
      if (status) known.set(waId, status);
      else missing.push(waId);
    });
    return missing;
  }

  /** The rest of a check: the table for what the cache missed, then WhatsApp (simulated). */
  private async complete(
    inputs: readonly string[],
    plan: CheckPlan,
    uncached: string[],
    options: CheckOptions,
    now: number,
  ): Promise<ContactCheckResult[]> {
    const { db } = this.ctx;
    const { known } = plan;
    let missing = uncached;
    if (!options.forceCheck) {
      await this.inSlices(missing, PLAN_SLICE, async (slice) => {
        const stored = await getContactChecks(db, slice, now - CACHE_TTL_MS);
        this.remember(stored);
        for (const c of stored) known.set(c.waId, c.status);
      });
      missing = missing.filter((waId) => known.get(waId) === undefined);
    }
    if (missing.length > 0) {
      if (options.wait) {
        await this.inSlices(missing, PLAN_SLICE, async (slice) => {
          const onWhatsApp = await this.lookUp(slice, (waId) => !plan.possible?.has(waId));
          for (const waId of slice) known.set(waId, onWhatsApp.has(waId) ? 'valid' : 'invalid');
        });
      } else {
        await this.enqueue(missing, now);
      }
    }
    return this.results(inputs, plan);
  }

  /**
   * One pass over inputs[from, to), added to `plan`: each input's status where one is known,
   * and each distinct number still to look up a key of `known` (its status once found). Up to
   * v2.41 a number that is not a real one is invalid without asking WhatsApp.
   */
  private plan(
    inputs: readonly string[],
    from: number,
    to: number,
    held: Held,
    plan: CheckPlan = newPlan(),
    recalled?: Recalled,
  ): CheckPlan {
    const { phones, config } = this.ctx;
    const v243 = config.semantics === 'v2.43';
    const { normalized, statuses, known } = plan;
    for (let i = from; i < to; i++) {
      const n = held.normalized[i - from] ?? recalled?.inputs.get(inputs[i]!) ?? phones.normalize(inputs[i]!);
      normalized.push(n);
      if (n.kind !== 'valid' && !(n.kind === 'possible' && v243)) {
        statuses.push(undefined);
        continue;
      }
      if (n.kind === 'possible') {
        plan.possible ??= new Set();
        plan.possible.add(n.waId);
      }
      // A status read for this request, or held by the index, is kept by the input; any other number is looked up
      // after planning. Not in `known`: a map entry per number was the largest cost of a check of 10,000 cached numbers.
      const status = recalled?.results.get(n.waId) ?? held.statuses[i - from];
      statuses.push(status);
      if (status === undefined && !known.has(n.waId)) known.set(n.waId, undefined);
    }
    return plan;
  }

  private results(inputs: readonly string[], { normalized, statuses, known }: CheckPlan): ContactCheckResult[] {
    const v243 = this.ctx.config.semantics === 'v2.43';
    const results: ContactCheckResult[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const n = normalized[i]!;
      if (n.kind === 'failed') {
        results.push({ input, status: 'failed' });
        continue;
      }
      const status = statuses[i] ?? known.get(n.waId);
      if (!v243 && (n.kind === 'possible' || status === 'invalid')) results.push({ input, status: 'invalid' });
      else results.push({ input, status: status ? 'valid' : 'processing', wa_id: n.waId });
    }
    return results;
  }

  /**
   * Stored as pending, then queued; refused with nothing stored when the queue is full. A
   * number already queued needs no room: a client polling its own `processing` numbers is
   * never refused.
   */
  private async enqueue(missing: readonly string[], now: number): Promise<void> {
    const { queue } = this;
    const waIds = missing.filter((waId) => !queue.has(waId));
    if (waIds.length === 0) return;
    if (!queue.reserve(waIds.length)) {
      throw tooManyRequests(
        `Too many contact checks are waiting (at most ${this.ctx.config.checkQueueMax}). Please try again later.`,
        queue.retryAfterMs(waIds.length),
      );
    }
    try {
      // A slice stored before a failure stays pending: the next start checks it.
      await this.inSlices(waIds, PLAN_SLICE, (slice) => addPendingChecks(this.ctx.db, slice, now));
    } catch (error) {
      queue.release(waIds.length);
      throw error;
    }
    queue.add(waIds, { reserved: waIds.length });
  }

  /**
   * Checks left `processing` by a previous run of the server are finished in the background,
   * read page by page, each once the queue is nearly empty, so the backlog neither holds up
   * start-up nor takes the room new requests need.
   */
  resumePending(): void {
    this.backlog = this.feedBacklog().then(
      (count) => void (count > 0 && this.ctx.log.info({ count }, 'pending contact checks resumed')),
      (error: unknown) => this.ctx.log.error({ err: error }, 'resuming pending contact checks failed'),
    );
  }

  private async feedBacklog(): Promise<number> {
    let after: PendingCheck | undefined;
    let count = 0;
    while (!this.closing) {
      await this.queue.whenBelow(BACKLOG_PAGE_SIZE);
      const page = await listPendingChecks(this.ctx.db, { after, limit: BACKLOG_PAGE_SIZE });
      // They waited long enough already: no WA_CHECK_DELAY_MS.
      this.queue.add(
        page.map((p) => p.waId),
        { immediately: true },
      );
      count += page.length;
      if (page.length < BACKLOG_PAGE_SIZE) return count;
      after = page[page.length - 1];
    }
    return count;
  }

  /** Resolves when the backlog is fed and every background check has finished (for tests). */
  async idle(): Promise<void> {
    await this.backlog;
    await this.queue.idle();
    await Promise.all(this.storing);
  }

  /**
   * Fills the index from the tables: every input stored under this normalizer's context, up to
   * WA_CHECK_INDEX_MAX, then its number's fresh result, so that a check of a cached number reads
   * no table however many there are. The inputs in keyset pages of INDEX_PAGE_SIZE rows (the table
   * sized once from their count), then the results in one pass over contact_checks, RESULT_PAGES
   * of its pages per statement: joined to each page of inputs, every page hashed the whole table
   * (50 scans of 1,000,000 rows, 24 s). Checks may run meanwhile: a result they commit reaches
   * the inputs already held, and one the load reads later is never newer than it (a result
   * never replaces a newer one), so the index stays exact however the two interleave.
   */
  async loadIndex(): Promise<IndexLoad> {
    const { db, phones, clock } = this.ctx;
    const started = performance.now();
    const { index } = this;
    const epoch = index.epoch;
    const freshSince = clock.now() - CACHE_TTL_MS;
    index.reserve(await countCheckInputs(db, phones.context));
    // A restore clears the index while a page is read: that page may be of the old tables, and the load stops.
    for (let after = ''; !index.full && !this.closing; ) {
      // A turn of the event loop between statements: PGlite's never wait for I/O, so a load of them all would hold off every request.
      if (after !== '') await this.turns.next();
      const page = await readIndexInputs(db, phones.context, after, INDEX_PAGE_SIZE);
      if (index.epoch !== epoch) break;
      for (const [input, kind, waId] of page) index.add(input, { kind, waId });
      if (page.length < INDEX_PAGE_SIZE) break;
      after = page[page.length - 1]![0];
    }
    const pages = await countResultPages(db);
    for (let from = 0; from < pages && index.epoch === epoch && !this.closing; from += RESULT_PAGES) {
      await this.turns.next();
      const results = await readResultPages(db, from, RESULT_PAGES, freshSince);
      if (index.epoch === epoch) index.remember(results);
    }
    return { inputs: index.size, bytes: index.bytes, ms: Math.round(performance.now() - started) };
  }

  /**
   * Starts loadIndex without waiting for it: the server listens meanwhile, and a check reads the
   * tables for what the index does not hold yet, with the same answers (6–8 s at 1,000,000
   * inputs). Resolves with what was loaded, or undefined when the load failed (reported) or
   * stopped at close().
   */
  loadIndexInBackground(onError: (error: unknown) => void): Promise<IndexLoad | undefined> {
    const load = this.loadIndex().then(
      (loaded) => (this.closing ? undefined : loaded),
      (error: unknown) => {
        // Only a shortcut: what it holds so far stays exact, the rest is read from the tables.
        if (!this.closing) onError(error);
        return undefined;
      },
    );
    this.indexLoad = load.then(() => {});
    return load;
  }

  /** How many inputs the index holds and the bytes of its table (for tests and figures). */
  get holding(): { inputs: number; bytes: number } {
    return { inputs: this.index.size, bytes: this.index.bytes };
  }

  /** Results now committed to contact_checks (or read from it), for the in-process caches. */
  private remember(checks: readonly ContactCheck[]): void {
    this.cache.remember(checks);
    this.index.remember(checks);
  }

  /** After contact_checks was replaced (a snapshot's restore): this process's cached results go. */
  forgetCached(): void {
    this.cache.clear();
    this.index.clear();
  }

  /** For shutdown: the queue drained, what is left of the backlog kept pending for the next start. */
  async close(): Promise<void> {
    this.closing = true;
    await this.indexLoad;
    await this.idle();
  }

  /**
   * Asks the (simulated) network and caches the answers; returns the numbers on WhatsApp (of
   * the batch, waIds' and others'). `realNumber`, from a request's plan, says which numbers are
   * real ones without parsing them again (isValidWaId without it).
   */
  private async lookUp(waIds: readonly string[], realNumber?: (waId: string) => boolean): Promise<ReadonlySet<string>> {
    const { onWhatsApp, settled } = await this.lookUps.lookUp({ waIds, real: realNumber ?? isValidWaId });
    await settled;
    return onWhatsApp;
  }

  /** Stores a batch of look-ups (LookUpBatches): the network's answers, as of now, in one statement. */
  private async storeLookUps({ real, asked }: Batch): Promise<LookedUp> {
    const { db, clock } = this.ctx;
    const checkedAt = clock.now();
    const count = this.misuse?.nextCount();
    const waIds = [...real.keys()];
    const onWhatsApp = await recordLookUp(db, {
      waIds,
      real: (waId) => real.get(waId)!,
      checkedAt,
      count: count && { ...count, checked: asked },
    });
    // Only once committed: a rolled-back result must not be served from memory.
    this.remember(waIds.map((waId) => ({ waId, status: onWhatsApp.has(waId) ? 'valid' : 'invalid', checkedAt })));
    return { onWhatsApp, checkedAt, settled: count && this.misuse?.settleCounted() };
  }

  /**
   * fn over slices of items, one after the other, a turn each after the first: on PGlite a
   * statement holds the event loop while it runs, so a request's 10,000 rows go as several
   * short statements, with other requests' turns in between.
   */
  private async inSlices<T>(items: readonly T[], size: number, fn: (slice: T[]) => Promise<void>): Promise<void> {
    for (let from = 0; from < items.length; from += size) {
      if (from > 0) await this.turns.next();
      await fn(items.slice(from, from + size));
    }
  }
}
