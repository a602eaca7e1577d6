/** Bits of the set: 1 MB; cleared at MAX_MARKS, so at most 1 number in 8 looks seen when it was not. */
const BITS = 1 << 23;
const MAX_MARKS = 1 << 20;

/**
 * Which numbers were read from the table before (approximately: a bit per hash, cleared now and
 * then). A number read once past the in-process caches is likely read once, as when checks
 * sweep a cache of millions: filling and evicting the caches with it cost more CPU than the
 * read's answer saves. Only a number read a second time is remembered in them.
 */
export class SecondSight {
  private readonly bits = new Uint32Array(BITS / 32);
  private marks = 0;

  /** Whether waId was marked since the last clearing; marks it. */
  seenBefore(waId: string): boolean {
    // A wa_id has at most 15 digits: exact as a double, then mixed into BITS.
    const n = Number(waId);
    const h = Math.imul((n % 0x7fffffff) ^ Math.floor(n / 0x7fffffff), 0x9e3779b1) >>> 9;
    const word = h >>> 5;
    const bit = 1 << (h & 31);
    if ((this.bits[word]! & bit) !== 0) return true;
    if (this.marks >= MAX_MARKS) {
      this.bits.fill(0);
      this.marks = 0;
    }
    this.bits[word]! |= bit;
    this.marks++;
    return false;
  }
}
