import { createRequire } from 'node:module';
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { inputKey } from './input-key.js';
import { PackedTable } from './packed-table.js';
import { RingMap } from './ring-map.js';
import { SecondSight } from './second-sight.js';

/**
 * What the server can make of a phone number as a user typed it:
 * - `valid`: a real number by the numbering plan's metadata;
 * - `possible`: dialable and of a plausible length, but not an assigned range (Meta: "likely a
 *   wrong number");
 * - `failed`: no phone number can be read from it at all.
 */
export type NormalizedNumber = { kind: 'valid' | 'possible'; waId: string } | { kind: 'failed' };

const DIALABLE = /^\+?[0-9 ()\-./]+$/;
const WA_ID = /^[1-9][0-9]{6,14}$/;
const FAILED: NormalizedNumber = { kind: 'failed' };
const CACHE_SIZE = 50_000;
/** Inputs the index keeps when no size is given (the server passes WA_CHECK_INDEX_MAX). */
export const DEFAULT_INDEX_MAX = 1_000_000;
const LIBPHONENUMBER_VERSION = (createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string })
  .version;

export class PhoneNormalizer {
  // Parsing with full metadata costs tens of microseconds; the same numbers come back often.
  /** Results of the inputs asked often, by their text: a hit costs no allocation. */
  private readonly cache = new RingMap<string, NormalizedNumber>(CACHE_SIZE);
  /** Results of every input of the dialable shape, by inputKey, packed (see encode). */
  private readonly index: PackedTable;
  /** Inputs looked up in the index lately: 64 kB, forgets past 65,536 marks. */
  private readonly recent = new SecondSight(19);

  /**
   * What a result depends on besides the input: stored normalizations (check_inputs) are
   * only read back under the same context.
   */
  readonly context: string;

  constructor(
    private readonly business: { region: CountryCode | undefined; callingCode: string },
    indexMax = DEFAULT_INDEX_MAX,
  ) {
    this.context = `${business.region ?? ''}:${business.callingCode}:${LIBPHONENUMBER_VERSION}`;
    this.index = new PackedTable(indexMax);
  }

  normalize(input: string): NormalizedNumber {
    let result = this.held(input);
    if (result === undefined) {
      result = this.compute(input.trim());
      this.remember(input, result);
    }
    return result;
  }

  /** The result when it costs no parse (remembered, or no number at all); undefined otherwise. */
  known(input: string): NormalizedNumber | undefined {
    return this.held(input) ?? (dialable(input.trim()) ? undefined : FAILED);
  }

  private held(input: string): NormalizedNumber | undefined {
    const key = inputKey(input);
    const packed = Number.isNaN(key) ? undefined : this.index.get(key);
    if (packed === undefined) return this.cache.get(input);
    // Only an input asked lately is looked for in `cache`, and kept there: one asked once, or back after a sweep of many, would only churn it.
    if (!this.recent.seenNumberBefore(key)) return decode(packed);
    const result = this.cache.get(input);
    if (result !== undefined) return result;
    const unpacked = decode(packed);
    this.cache.set(input, unpacked);
    return unpacked;
  }

  /** Keeps a result normalize() gave for input (here or in another process: check_inputs). */
  remember(input: string, result: NormalizedNumber): void {
    if (!this.cache.has(input)) this.cache.set(input, result);
    this.rememberPacked(input, result);
  }

  /** Keeps a result in the index only (the start-up load: no input of it was asked yet). */
  rememberPacked(input: string, result: NormalizedNumber): void {
    const key = inputKey(input);
    // A wa_id read back from check_inputs is packed only when exact as a number.
    if (!Number.isNaN(key) && (result.kind === 'failed' || WA_ID.test(result.waId)))
      this.index.set(key, encode(result));
  }

  /** Inputs held by the index (for tests and figures). */
  get indexed(): number {
    return this.index.size;
  }

  /** Whether the index holds as many inputs as it may (a start-up load stops there). */
  get indexFull(): boolean {
    return this.index.size >= this.index.maxEntries;
  }

  private compute(input: string): NormalizedNumber {
    if (!dialable(input)) return FAILED;
    // With +, the digits are the full international number; without it, the business's
    // country applies (libphonenumber strips that country's trunk prefix, as Meta's table shows).
    const international = input.startsWith('+') ? parsePhoneNumberFromString(input) : undefined;
    if (international?.isValid()) return toResult('valid', international);
    // Meta: "the country code may still be applied when the number after a + is not valid".
    const national = parsePhoneNumberFromString(input.replace(/^\+/, ''), {
      defaultCountry: this.business.region,
      defaultCallingCode: this.business.callingCode,
    });
    if (national?.isValid()) return toResult('valid', national);
    if (international?.isPossible()) return toResult('possible', international);
    if (!input.startsWith('+') && national?.isPossible()) return toResult('possible', national);
    return FAILED;
  }
}

// A result as one number: failed -1, else wa_id * 2 + (valid ? 1 : 0) (a wa_id has at most 15 digits: exact).
const encode = (n: NormalizedNumber): number =>
  n.kind === 'failed' ? -1 : Number(n.waId) * 2 + (n.kind === 'valid' ? 1 : 0);
function decode(packed: number): NormalizedNumber {
  if (packed < 0) return FAILED;
  const valid = packed % 2;
  return { kind: valid === 1 ? 'valid' : 'possible', waId: digitsOf((packed - valid) / 2) };
}

/** String(n) for a whole number below 2^53, from two small integers: String of a double above 2^31 costs twice as much. */
function digitsOf(n: number): string {
  const high = Math.floor(n / 1e8);
  return high === 0 ? String(n) : String(high) + String(n - high * 1e8 + 1e8).slice(1);
}

/** Whether input (trimmed) may be a phone number at all: anything else fails without a parse. */
const dialable = (input: string): boolean => DIALABLE.test(input) && /[0-9]/.test(input);

function toResult(kind: 'valid' | 'possible', number: PhoneNumber): NormalizedNumber {
  const waId = number.number.slice(1);
  return WA_ID.test(waId) ? { kind, waId } : FAILED;
}

// Who is on WhatsApp is decided per number on every check (force_check included): the same
// full-metadata parse as above, remembered the same way.
const validWaIds = new RingMap<string, boolean>(CACHE_SIZE);

/** The phone number a wa_id stands for, if it is a real one. */
export function isValidWaId(waId: string): boolean {
  if (!WA_ID.test(waId)) return false;
  let valid = validWaIds.get(waId);
  if (valid === undefined) {
    valid = parsePhoneNumberFromString(`+${waId}`)?.isValid() === true;
    validWaIds.set(waId, valid);
  }
  return valid;
}
