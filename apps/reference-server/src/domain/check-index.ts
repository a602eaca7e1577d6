import type { CheckStatus, ContactCheck } from '../storage/index.js';
import { inputKey, keyDigits, keyOfDigits } from './input-key.js';
import { PackedTable } from './packed-table.js';
import type { NormalizedNumber } from './phone.js';

/** Inputs held when no size is given (the server passes WA_CHECK_INDEX_MAX). */
export const DEFAULT_INDEX_MAX = 1_000_000;

// A value (32 bits): minute of checked_at × 32 + status × 8 + (kind valid) × 4 + how the wa_id follows from the input's digits.
const FAILED_INPUT = 0;
/** The wa_id is the input's digits. */
const DIGITS = 1;
/** The wa_id is the business's country calling code and the input's digits. */
const CC_DIGITS = 2;
const NO_RESULT = 0;
const INVALID = 1;
const VALID = 2;
/** A result at that minute whose status is not known (two results in one minute): the table decides. */
const UNSURE = 3;
const MAX_MINUTE = 2 ** 27 - 1;
const MINUTE_MS = 60_000;
const FAILED: NormalizedNumber = { kind: 'failed' };
/** Normalizations kept decoded, by slot: 16,384 (about 1.5 MB), so inputs asked often cost no new wa_id string (a Map hashes it again). */
const DECODED = 16_384;

/**
 * Every input of a check this process knows (from check_inputs, loaded before listening, and
 * since), by inputKey, with what it normalizes to and its number's latest result, in one
 * PackedTable: 12 bytes a slot, about 16 an input. The wa_id is not stored: a 2-bit code says
 * how it follows from the input's digits; an input whose wa_id follows otherwise (a national
 * trunk prefix, say) is not held and is read as before (in-process caches, then the tables).
 * checked_at is kept to the minute, rounded down: freshness is conservative (in the last minute
 * of its 7 days a result is read from the table), never stale.
 *
 * Past WA_CHECK_INDEX_MAX inputs it takes no new one and evicts none: what it does not hold
 * costs what it cost without it, plus a probe. Write-through and exact for one instance, with
 * the multi-instance contract of CheckResultCache (another instance's newer result is seen when
 * this one's expires, is re-checked here, or at a restart).
 */
export class CheckIndex {
  private readonly table: PackedTable;
  private clears = 0;
  /** A direct-mapped cache of decoded slots: decodedKeys[slot % DECODED] says whose normalization decoded[] holds. */
  private decodedKeys = new Float64Array(DECODED);
  private decoded: NormalizedNumber[] = new Array(DECODED);

  constructor(
    maxEntries: number,
    private readonly callingCode: string,
  ) {
    this.table = new PackedTable(maxEntries);
  }

  /** The slot holding input, or -1. */
  slotOf(input: string): number {
    const key = inputKey(input);
    return Number.isNaN(key) ? -1 : this.table.slotOf(key);
  }

  /** What the inputs of the slot's key normalize to. */
  normalizedAt(slot: number): NormalizedNumber {
    const key = this.table.keyAt(slot);
    const at = slot & (DECODED - 1);
    // A key's normalization never changes (until clear(), which empties this cache too).
    if (this.decodedKeys[at] === key) return this.decoded[at]!;
    const value = this.table.valueAt(slot);
    const code = value & 3;
    let n = FAILED;
    if (code !== FAILED_INPUT) {
      const digits = keyDigits(key);
      n = {
        kind: (value & 4) !== 0 ? 'valid' : 'possible',
        waId: code === DIGITS ? digits : this.callingCode + digits,
      };
    }
    this.decodedKeys[at] = key;
    this.decoded[at] = n;
    return n;
  }

  /** The number's result at slot when it was checked at or after freshSince (surely: to the minute below). */
  statusAt(slot: number, freshSince: number): CheckStatus | undefined {
    const value = this.table.valueAt(slot);
    const status = (value >>> 3) & 3;
    if (status !== VALID && status !== INVALID) return undefined;
    return Math.floor(value / 32) * MINUTE_MS >= freshSince ? (status === VALID ? 'valid' : 'invalid') : undefined;
  }

  /**
   * Holds input (false when it cannot: no dialable shape, a wa_id that does not follow from its
   * digits, or the index is full), with its number's result when one is given.
   */
  add(input: string, n: NormalizedNumber, result?: ContactCheck): boolean {
    const key = inputKey(input);
    if (Number.isNaN(key)) return false;
    let code = FAILED_INPUT;
    if (n.kind !== 'failed') {
      const digits = keyDigits(key);
      if (n.waId === digits) code = DIGITS;
      else if (n.waId === this.callingCode + digits) code = CC_DIGITS;
      else return false;
    }
    let slot = this.table.slotOf(key);
    if (slot < 0) {
      if (!this.table.set(key, code + (n.kind === 'valid' ? 4 : 0))) return false;
      if (result === undefined) return true;
      slot = this.table.slotOf(key);
    }
    if (result !== undefined && code !== FAILED_INPUT) this.update(slot, result);
    return true;
  }

  /** Records results for every input held of each number; as in the table, a result never replaces a newer one. */
  remember(checks: readonly ContactCheck[]): void {
    for (const check of checks) {
      const { waId } = check;
      // The inputs that can stand for waId: its digits, or those after the calling code, with or without a +.
      this.updateKey(keyOfDigits(waId), DIGITS, check);
      if (waId.startsWith(this.callingCode)) {
        const rest = keyOfDigits(waId.slice(this.callingCode.length));
        this.updateKey(rest, CC_DIGITS, check);
      }
    }
  }

  private updateKey(key: number, code: number, check: ContactCheck): void {
    if (Number.isNaN(key)) return;
    for (const k of [key, -key]) {
      const slot = this.table.slotOf(k);
      if (slot >= 0 && (this.table.valueAt(slot) & 3) === code) this.update(slot, check);
    }
  }

  private update(slot: number, { status, checkedAt }: ContactCheck): void {
    const value = this.table.valueAt(slot);
    const held = (value >>> 3) & 3;
    const heldMinute = Math.floor(value / 32);
    const minute = Math.floor(checkedAt / MINUTE_MS);
    const code = status === 'valid' ? VALID : INVALID;
    let next: number;
    if (minute < 0) return; // Older than any minute held: nothing newer to tell, and with none held the table answers.
    if (minute > MAX_MINUTE)
      next = MAX_MINUTE * 32 + UNSURE * 8; // Past what 27 bits hold: the table answers from now on.
    else if (held === NO_RESULT || minute > heldMinute) next = minute * 32 + code * 8;
    else if (minute === heldMinute && held !== code) next = minute * 32 + UNSURE * 8;
    else return;
    this.table.setValueAt(slot, next + (value & 7));
  }

  /** Slots to take at once for a load of `entries` inputs (up to the maximum): no doubling past it. */
  reserve(entries: number): void {
    this.table.reserve(entries);
  }

  /** Forgets every input and result: the tables were replaced (a snapshot's restore). */
  clear(): void {
    this.table.clear();
    this.decodedKeys = new Float64Array(DECODED);
    this.decoded = new Array(DECODED);
    this.clears++;
  }

  /** Changes with every clear(): a read of the tables begun before one must not be kept after it. */
  get epoch(): number {
    return this.clears;
  }

  get size(): number {
    return this.table.size;
  }

  get full(): boolean {
    return this.table.full;
  }

  get bytes(): number {
    return this.table.bytes;
  }
}
