import type { components } from '@wa-contacts/types';
import { DAY_MS } from '../clock.js';
import {
  addPendingChecks,
  getContactChecks,
  listPendingChecks,
  removePendingChecks,
  upsertContactChecks,
  type CheckStatus,
} from '../storage/index.js';
import { accountsOnWhatsApp } from './accounts.js';
import { CheckResultCache } from './check-cache.js';
import type { ServerContext } from './context.js';
import type { NormalizedNumber } from './phone.js';

type ContactCheckResult = components['schemas']['ContactCheckResult'];

const CACHE_TTL_MS = 7 * DAY_MS;

interface CheckPlan {
  normalized: NormalizedNumber[];
  known: Map<string, CheckStatus | undefined>;
}

export interface CheckOptions {
  wait: boolean;
  forceCheck: boolean;
}

/**
 * POST /v1/contacts. Each distinct number is looked up once: the in-memory cache first, then
 * one query for what it does not hold, and one for the accounts whatever the request's size.
 * `no_wait` answers `processing` for what is not cached and finishes the check in the
 * background.
 */
export class ContactChecks {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly cache = new CheckResultCache();

  constructor(private readonly ctx: ServerContext) {}

  /**
   * The results, without a promise when nothing is left to ask: every number in the in-memory
   * cache (and `force_check` off), or no number to check at all. Under load most checks are
   * of cached numbers, and a promise per request was a tenth of their CPU.
   */
  check(inputs: readonly string[], options: CheckOptions): ContactCheckResult[] | Promise<ContactCheckResult[]> {
    const now = this.ctx.clock.now();
    const plan = this.plan(inputs);
    const missing = options.forceCheck ? [...plan.known.keys()] : this.fromCache(plan, now - CACHE_TTL_MS);
    if (missing.length === 0) return this.results(inputs, plan);
    return this.complete(inputs, plan, missing, options, now);
  }

  /** Fills in what the in-memory cache holds; returns the numbers it does not. */
  private fromCache({ known }: CheckPlan, freshSince: number): string[] {
    const missing: string[] = [];
    for (const waId of known.keys()) {
      const status = this.cache.get(waId, freshSince);
      if (status) known.set(waId, status);
      else missing.push(waId);
    }
    return missing;
  }

  /** The rest of a check: the table for what the cache missed, then WhatsApp (simulated). */
  private async complete(inputs: readonly string[], plan: CheckPlan, uncached: string[], options: CheckOptions, now: number): Promise<ContactCheckResult[]> {
    const { db } = this.ctx;
    const { known } = plan;
    let missing = uncached;
    if (!options.forceCheck) {
      const stored = await getContactChecks(db, missing, now - CACHE_TTL_MS);
      this.cache.remember(stored);
      for (const c of stored) known.set(c.waId, c.status);
      missing = missing.filter((waId) => known.get(waId) === undefined);
    }
    if (missing.length > 0) {
      if (options.wait) {
        for (const [waId, status] of await this.lookUp(missing)) known.set(waId, status);
      } else {
        await addPendingChecks(db, missing, now);
        this.inBackground(missing);
      }
    }
    return this.results(inputs, plan);
  }

  /**
   * One pass over the inputs: each distinct number to check becomes a key of `known` (its
   * status once known). Up to v2.41 a number that is not a real one is invalid without asking
   * WhatsApp.
   */
  private plan(inputs: readonly string[]): CheckPlan {
    const { phones, config } = this.ctx;
    const v243 = config.semantics === 'v2.43';
    const normalized: NormalizedNumber[] = [];
    const known = new Map<string, CheckStatus | undefined>();
    for (const input of inputs) {
      const n = phones.normalize(input);
      normalized.push(n);
      if (n.kind === 'valid' || (n.kind === 'possible' && v243)) known.set(n.waId, undefined);
    }
    return { normalized, known };
  }

  private results(inputs: readonly string[], { normalized, known }: CheckPlan): ContactCheckResult[] {
    const v243 = this.ctx.config.semantics === 'v2.43';
    const results: ContactCheckResult[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const n = normalized[i]!;
      if (n.kind === 'failed') {
        results.push({ input, status: 'failed' });
        continue;
      }
      const status = known.get(n.waId);
      if (!v243 && (n.kind === 'possible' || status === 'invalid')) results.push({ input, status: 'invalid' });
      else results.push({ input, status: status ? 'valid' : 'processing', wa_id: n.waId });
    }
    return results;
  }

  /** Checks left `processing` by a previous run of the server are finished now. */
  async resumePending(): Promise<number> {
    const pending = await listPendingChecks(this.ctx.db);
    if (pending.length > 0) this.inBackground(pending.map((p) => p.waId));
    return pending.length;
  }

  /** Resolves when every background check has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Asks the (simulated) network and caches the answers. */
  private async lookUp(waIds: readonly string[]): Promise<Map<string, CheckStatus>> {
    const { db, clock } = this.ctx;
    const results = await db.transaction(async (tx) => {
      const onWhatsApp = await accountsOnWhatsApp(tx, waIds);
      const checks = waIds.map((waId) => ({ waId, status: (onWhatsApp.has(waId) ? 'valid' : 'invalid') as CheckStatus, checkedAt: clock.now() }));
      await upsertContactChecks(tx, checks);
      await removePendingChecks(tx, waIds);
      return checks;
    });
    // Only once committed: a rolled-back result must not be served from memory.
    this.cache.remember(results);
    return new Map(results.map((c) => [c.waId, c.status]));
  }

  private inBackground(waIds: readonly string[]): void {
    const job = new Promise<void>((resolve) => setTimeout(resolve, this.ctx.config.checkDelayMs))
      .then(() => this.lookUp(waIds))
      .then(
        () => undefined,
        (error: unknown) => this.ctx.log.error({ err: error }, 'background contact check failed'),
      )
      .finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }
}
