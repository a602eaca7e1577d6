import { createRequire } from 'node:module';
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { RingMap } from './ring-map.js';

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
const LIBPHONENUMBER_VERSION = (createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string })
  .version;

export class PhoneNormalizer {
  // Parsing with full metadata costs tens of microseconds; the same numbers come back often.
  private readonly cache = new RingMap<string, NormalizedNumber>(CACHE_SIZE);

  /**
   * What a result depends on besides the input: stored normalizations (check_inputs) are
   * only read back under the same context.
   */
  readonly context: string;

  constructor(private readonly business: { region: CountryCode | undefined; callingCode: string }) {
    this.context = `${business.region ?? ''}:${business.callingCode}:${LIBPHONENUMBER_VERSION}`;
  }

  normalize(input: string): NormalizedNumber {
    let result = this.cache.get(input);
    if (result === undefined) {
      result = this.compute(input.trim());
      this.remember(input, result);
    }
    return result;
  }

  /** The result when it costs no parse (remembered, or no number at all); undefined otherwise. */
  known(input: string): NormalizedNumber | undefined {
    return this.cache.get(input) ?? (dialable(input.trim()) ? undefined : FAILED);
  }

  /** Keeps a result normalize() gave for input (here or in another process: check_inputs). */
  remember(input: string, result: NormalizedNumber): void {
    if (!this.cache.has(input)) this.cache.set(input, result);
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
