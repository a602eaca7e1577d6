/** Slots per entry at most 1 / LOAD: linear probing stays at about 2.5 probes a hit, 8.5 a miss. */
const LOAD = 0.75;
const FIRST_SLOTS = 1_024;
/** Bytes a slot costs: a Float64 key and a Uint32 value, in two arrays. */
export const BYTES_PER_SLOT = 12;
/** 0 marks a free slot, so it cannot be a key. */
const FREE = 0;

/**
 * A map of whole-number keys to 32-bit values in a Float64Array of keys and a Uint32Array of
 * values (12 bytes a slot, 16 an entry when full), where a Map of strings costs about 100 bytes
 * an entry and a string each. Open addressing with linear probing, no deletion. It holds at most
 * `maxEntries`: past them a new key is refused (set() answers false) and nothing is evicted, so
 * a caller falls back to its slower source for exactly the keys it was refused. Keys are nonzero
 * safe integers.
 */
export class PackedTable {
  private keys: Float64Array;
  private values: Uint32Array;
  private count = 0;
  private readonly maxSlots: number;

  constructor(readonly maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be 1 or more');
    this.maxSlots = slotsFor(maxEntries);
    const n = Math.min(FIRST_SLOTS, this.maxSlots);
    this.keys = new Float64Array(n);
    this.values = new Uint32Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** Whether a new key would be refused. */
  get full(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Bytes held by the arrays: at most maxEntries / 0.75 × 12. */
  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  /** Grows once to the slots `entries` need (at most maxEntries'), so a load of known size does not double past it. */
  reserve(entries: number): void {
    const n = Math.min(slotsFor(Math.max(entries, 1)), this.maxSlots);
    if (n > this.keys.length) this.resize(n);
  }

  /** The slot holding key, or -1. */
  slotOf(key: number): number {
    const slot = this.find(key);
    return this.keys[slot] === key ? slot : -1;
  }

  get(key: number): number | undefined {
    const slot = this.slotOf(key);
    return slot < 0 ? undefined : this.values[slot];
  }

  keyAt(slot: number): number {
    return this.keys[slot]!;
  }

  valueAt(slot: number): number {
    return this.values[slot]!;
  }

  setValueAt(slot: number, value: number): void {
    this.values[slot] = value;
  }

  /** Sets key's value; false (and nothing changed) when the key is new and the table full. */
  set(key: number, value: number): boolean {
    if (key === FREE || !Number.isSafeInteger(key)) throw new RangeError(`not a key of a PackedTable: ${key}`);
    let slot = this.find(key);
    if (this.keys[slot] === key) {
      this.values[slot] = value;
      return true;
    }
    if (this.count >= this.maxEntries) return false;
    const n = this.keys.length;
    if (this.count + 1 > n * LOAD && n < this.maxSlots) {
      this.resize(Math.min(n * 2, this.maxSlots));
      slot = this.find(key);
    }
    this.keys[slot] = key;
    this.values[slot] = value;
    this.count++;
    return true;
  }

  /** Drops every entry and the memory of a grown table. */
  clear(): void {
    const n = Math.min(FIRST_SLOTS, this.maxSlots);
    this.keys = new Float64Array(n);
    this.values = new Uint32Array(n);
    this.count = 0;
  }

  /** The slot holding key, or the free slot where it would go. */
  private find(key: number): number {
    const { keys } = this;
    const n = keys.length;
    let i = home(key, n);
    while (keys[i] !== key && keys[i] !== FREE) i = i + 1 === n ? 0 : i + 1;
    return i;
  }

  private resize(n: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(n);
    this.values = new Uint32Array(n);
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k === FREE) continue;
      const slot = this.find(k);
      this.keys[slot] = k;
      this.values[slot] = oldValues[i]!;
    }
  }
}

/** Slots that keep `entries` at LOAD at most; one more than entries, so a probe always meets a free slot. */
const slotsFor = (entries: number): number => Math.max(entries + 1, Math.ceil(entries / LOAD));

/** The key's first slot of n. */
const home = (key: number, n: number): number => Math.floor((mix32(key) * n) / 4_294_967_296);

/** 32 well-mixed bits of a safe integer: its two 32-bit halves through Murmur3's finalizer. */
export function mix32(key: number): number {
  let h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 4_294_967_296) | 0, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
