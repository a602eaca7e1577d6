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

type ContactCheckResult = components['schemas']['ContactCheckResult'];

const CACHE_TTL_MS = 7 * DAY_MS;

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

  async check(inputs: readonly string[], options: CheckOptions): Promise<ContactCheckResult[]> {
    const { phones, config, db, clock } = this.ctx;
    const now = clock.now();
    const normalized = inputs.map((input) => phones.normalize(input));
    // Up to v2.41 a number that is not a real one is invalid without asking WhatsApp.
    const checkable = [
      ...new Set(normalized.flatMap((n) => (n.kind === 'valid' || (n.kind === 'possible' && config.semantics === 'v2.43') ? [n.waId] : []))),
    ];

    const known = new Map<string, CheckStatus>();
    if (!options.forceCheck) {
      const freshSince = now - CACHE_TTL_MS;
      const notInMemory: string[] = [];
      for (const waId of checkable) {
        const status = this.cache.get(waId, freshSince);
        if (status) known.set(waId, status);
        else notInMemory.push(waId);
      }
      if (notInMemory.length > 0) {
        const stored = await getContactChecks(db, notInMemory, freshSince);
        this.cache.remember(stored);
        for (const c of stored) known.set(c.waId, c.status);
      }
    }
    const missing = checkable.filter((waId) => !known.has(waId));
    if (missing.length > 0) {
      if (options.wait) {
        for (const [waId, status] of await this.lookUp(missing)) known.set(waId, status);
      } else {
        await addPendingChecks(db, missing, now);
        this.inBackground(missing);
      }
    }

    return inputs.map((input, i): ContactCheckResult => {
      const n = normalized[i]!;
      if (n.kind === 'failed') return { input, status: 'failed' };
      const status = known.get(n.waId);
      if (config.semantics === 'v2.43') return { input, status: status ? 'valid' : 'processing', wa_id: n.waId };
      if (n.kind === 'possible' || status === 'invalid') return { input, status: 'invalid' };
      return { input, status: status ? 'valid' : 'processing', wa_id: n.waId };
    });
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
