/** Slots per entry at most 1 / LOAD: linear probing stays at about 2.5 probes a hit, 8.5 a miss. */
const LOAD = 0.75;
const FIRST_SLOTS = 1_024;
/** Bytes a slot costs: a Float64 key and a Float64 value, side by side (one cache line for both). */
export const BYTES_PER_SLOT = 16;
/** 0 marks a free slot, so it cannot be a key. */
const FREE = 0;

/**
 * A map of whole-number keys to numbers in one Float64Array (16 bytes a slot, about 21 bytes
 * an entry when full), where a Map of strings costs about 100 bytes an entry and a string each:
 * it holds millions of entries at little memory and no garbage. Open addressing with linear
 * probing; it grows by doubling up to the slots `maxEntries` needs, and past `maxEntries` a new
 * key takes the place of an entry found by a sweep of the slots (in hash order: no older or
 * newer entry is preferred). Keys are nonzero safe integers (a wa_id of up to 15 digits is one).
 */
export class PackedTable {
  /** Slot i: key at 2i, value at 2i + 1. */
  private slots: Float64Array;
  private count = 0;
  /** Where the next eviction looks for an entry to drop. */
  private sweep = 0;
  private readonly maxSlots: number;

  constructor(readonly maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be 1 or more');
    this.maxSlots = Math.ceil(maxEntries / LOAD);
    this.slots = new Float64Array(2 * Math.min(FIRST_SLOTS, this.maxSlots));
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the array: at most maxEntries / 0.75 × 16. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  get(key: number): number | undefined {
    const { slots } = this;
    const n = slots.length >> 1;
    for (let i = home(key, n); ; i = i + 1 === n ? 0 : i + 1) {
      const k = slots[2 * i]!;
      if (k === key) return slots[2 * i + 1];
      if (k === FREE) return undefined;
    }
  }

  set(key: number, value: number): void {
    if (key === FREE || !Number.isSafeInteger(key)) throw new RangeError(`not a key of a PackedTable: ${key}`);
    let slot = this.find(key);
    if (this.slots[2 * slot] === key) {
      this.slots[2 * slot + 1] = value;
      return;
    }
    const n = this.slots.length >> 1;
    if (this.count >= this.maxEntries) {
      this.evictOne();
      // The deletion may have moved entries: look for the free slot again.
      slot = this.find(key);
    } else if (this.count + 1 > n * LOAD && n < this.maxSlots) {
      this.resize(Math.min(n * 2, this.maxSlots));
      slot = this.find(key);
    }
    this.slots[2 * slot] = key;
    this.slots[2 * slot + 1] = value;
    this.count++;
  }

  /** Drops every entry and the memory of a grown table. */
  clear(): void {
    this.slots = new Float64Array(2 * Math.min(FIRST_SLOTS, this.maxSlots));
    this.count = 0;
    this.sweep = 0;
  }

  /** The slot holding key, or the free slot where it would go. */
  private find(key: number): number {
    const { slots } = this;
    const n = slots.length >> 1;
    let i = home(key, n);
    while (slots[2 * i] !== key && slots[2 * i] !== FREE) i = i + 1 === n ? 0 : i + 1;
    return i;
  }

  private resize(n: number): void {
    const old = this.slots;
    this.slots = new Float64Array(2 * n);
    this.sweep = 0;
    for (let i = 0; i < old.length; i += 2) {
      const k = old[i]!;
      if (k === FREE) continue;
      const slot = this.find(k);
      this.slots[2 * slot] = k;
      this.slots[2 * slot + 1] = old[i + 1]!;
    }
  }

  /** Removes the next entry from the sweep on (Knuth's deletion for linear probing: no tombstones). */
  private evictOne(): void {
    const { slots } = this;
    const n = slots.length >> 1;
    let i = this.sweep;
    while (slots[2 * i] === FREE) i = i + 1 === n ? 0 : i + 1;
    this.sweep = i + 1 === n ? 0 : i + 1;
    // Entries after the hole that could not sit at their home slot move back into it.
    for (let j = i + 1 === n ? 0 : i + 1; slots[2 * j] !== FREE; j = j + 1 === n ? 0 : j + 1) {
      const h = home(slots[2 * j]!, n);
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (stays) continue;
      slots[2 * i] = slots[2 * j]!;
      slots[2 * i + 1] = slots[2 * j + 1]!;
      i = j;
    }
    slots[2 * i] = FREE;
    slots[2 * i + 1] = 0;
    this.count--;
  }
}

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
