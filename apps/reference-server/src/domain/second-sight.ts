import { mix32 } from './packed-table.js';

/** log2 of the bits of the set: 1 MB; cleared at an eighth as many marks, so at most 1 number in 8 looks seen when it was not. */
const BITS_LOG2 = 23;

/**
 * Which numbers were read from the table before (approximately: a bit per hash, cleared now and
 * then). A number read once past the in-process caches is likely read once, as when checks
 * sweep a cache of millions: filling and evicting the caches with it cost more CPU than the
 * read's answer saves. Only a number read a second time is remembered in them.
 */
export class SecondSight {
  private readonly bits: Uint32Array;
  private readonly shift: number;
  private readonly maxMarks: number;
  private marks = 0;

  /** A smaller set forgets sooner: 2^bitsLog2 bits, cleared every 2^(bitsLog2 - 3) marks. */
  constructor(bitsLog2 = BITS_LOG2) {
    this.bits = new Uint32Array(2 ** bitsLog2 / 32);
    this.shift = 32 - bitsLog2;
    this.maxMarks = 2 ** (bitsLog2 - 3);
  }

  /** Whether waId was marked since the last clearing; marks it. */
  seenBefore(waId: string): boolean {
    // A wa_id has at most 15 digits: exact as a double.
    return this.seenNumberBefore(Number(waId));
  }

  /** The same for a whole number (a safe integer, of either sign). */
  seenNumberBefore(n: number): boolean {
    const h = mix32(n) >>> this.shift;
    const word = h >>> 5;
    const bit = 1 << (h & 31);
    if ((this.bits[word]! & bit) !== 0) return true;
    if (this.marks >= this.maxMarks) {
      this.bits.fill(0);
      this.marks = 0;
    }
    this.bits[word]! |= bit;
    this.marks++;
    return false;
  }
}
