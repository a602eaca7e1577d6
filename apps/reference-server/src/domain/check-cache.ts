import type { CheckStatus, ContactCheck } from '../storage/index.js';
import { PackedTable } from './packed-table.js';

/** Results the cache holds when no size is given (the server passes WA_CHECK_INDEX_MAX). */
export const DEFAULT_MAX_ENTRIES = 1_000_000;

/** A wa_id (^[1-9][0-9]{6,14}$) as a key: at most 15 digits, exact as a double; NaN for anything else. */
function keyOf(waId: string): number {
  const length = waId.length;
  if (length < 7 || length > 15 || waId.charCodeAt(0) === 48) return Number.NaN;
  let key = 0;
  for (let i = 0; i < length; i++) {
    const d = waId.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    key = key * 10 + d;
  }
  return key;
}

// One number per entry, checkedAt * 2 + (valid ? 1 : 0): it fits a PackedTable's value.
const pack = (status: CheckStatus, checkedAt: number): number => checkedAt * 2 + (status === 'valid' ? 1 : 0);
const checkedAtOf = (packed: number): number => Math.floor(packed / 2);
const statusOf = (packed: number): CheckStatus => (packed - checkedAtOf(packed) * 2 === 1 ? 'valid' : 'invalid');

/**
 * The contacts cache (final results, 7 days per number) kept in memory in front of the
 * contact_checks table, write-through: every result the server stores is also remembered
 * here once its transaction has committed, and results read from the table are remembered
 * too, so a cached check costs no database round trip. It is packed (PackedTable: about 21
 * bytes a result), so it can hold every fresh result of the table, loaded at start-up.
 *
 * It is exact for a single instance: only ContactChecks writes contact_checks, and it writes
 * here after the table. With several instances sharing one PostgreSQL, an instance does not
 * see another's newer result for a number it already holds (a `force_check` answered by
 * another instance, say) until its own entry expires (7 days after that check), it checks
 * the number itself (`force_check` or a miss), or it restarts. Each instance keeps giving
 * results that were true when checked and are within the 7 days the cache promises.
 */
export class CheckResultCache {
  private readonly entries: PackedTable;
  private clears = 0;

  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    this.entries = new PackedTable(maxEntries);
  }

  /** Forgets every result: the table was replaced (a snapshot's restore). */
  clear(): void {
    this.entries.clear();
    this.clears++;
  }

  /** Changes with every clear(): a read of the table begun before one must not be remembered after it. */
  get epoch(): number {
    return this.clears;
  }

  /** The result for waId checked at or after freshSince, if this process holds one. */
  get(waId: string, freshSince: number): CheckStatus | undefined {
    const entry = this.entries.get(keyOf(waId));
    return entry !== undefined && checkedAtOf(entry) >= freshSince ? statusOf(entry) : undefined;
  }

  /** Records results; as in the table, a result never replaces a newer one. */
  remember(checks: readonly ContactCheck[]): void {
    for (const { waId, status, checkedAt } of checks) this.rememberOne(keyOf(waId), pack(status, checkedAt));
  }

  /** One result already packed (checkedAt * 2 + valid), as the start-up load reads it. */
  rememberPacked(waId: string, packed: number): void {
    this.rememberOne(keyOf(waId), packed);
  }

  private rememberOne(key: number, packed: number): void {
    if (Number.isNaN(key)) return;
    const entry = this.entries.get(key);
    if (entry === undefined || checkedAtOf(entry) <= checkedAtOf(packed)) this.entries.set(key, packed);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether it holds as many results as it may (a start-up load stops there). */
  get full(): boolean {
    return this.entries.size >= this.entries.maxEntries;
  }
}
