import type { CheckStatus, ContactCheck } from '../storage/index.js';
import { RingMap } from './ring-map.js';

// 50,000 (not 100,000): with 64 checks of 10,000 new numbers at once, a PGlite server peaks under 256 MB (docs/performance.md).
const MAX_ENTRIES = 50_000;

// One number per entry, checkedAt * 2 + (valid ? 1 : 0), not an object: about 40 bytes less per entry.
const pack = (status: CheckStatus, checkedAt: number): number => checkedAt * 2 + (status === 'valid' ? 1 : 0);
const checkedAtOf = (packed: number): number => Math.floor(packed / 2);
const statusOf = (packed: number): CheckStatus => (packed - checkedAtOf(packed) * 2 === 1 ? 'valid' : 'invalid');

/**
 * The contacts cache (final results, 7 days per number) kept in memory in front of the
 * contact_checks table, write-through: every result the server stores is also remembered
 * here once its transaction has committed, and results read from the table are remembered
 * too, so a cached check costs no database round trip.
 *
 * It is exact for a single instance: only ContactChecks writes contact_checks, and it writes
 * here after the table. With several instances sharing one PostgreSQL, an instance does not
 * see another's newer result for a number it already holds (a `force_check` answered by
 * another instance, say) until its own entry expires (7 days after that check), it checks
 * the number itself (`force_check` or a miss), or it restarts. Each instance keeps giving
 * results that were true when checked and are within the 7 days the cache promises.
 */
export class CheckResultCache {
  private readonly entries: RingMap<string, number>;

  constructor(maxEntries = MAX_ENTRIES) {
    this.entries = new RingMap(maxEntries);
  }

  /** Forgets every result: the table was replaced (a snapshot's restore). */
  clear(): void {
    this.entries.clear();
  }

  /** The result for waId checked at or after freshSince, if this process holds one. */
  get(waId: string, freshSince: number): CheckStatus | undefined {
    const entry = this.entries.get(waId);
    return entry !== undefined && checkedAtOf(entry) >= freshSince ? statusOf(entry) : undefined;
  }

  /** Records results; as in the table, a result never replaces a newer one. */
  remember(checks: readonly ContactCheck[]): void {
    for (const { waId, status, checkedAt } of checks) {
      // Oldest insertion out first (the table still has it, so a later read brings it back); an
      // update keeps its entry's place.
      const entry = this.entries.get(waId);
      if (entry === undefined || checkedAtOf(entry) <= checkedAt) this.entries.set(waId, pack(status, checkedAt));
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
