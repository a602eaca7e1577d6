/**
 * Phone numbers for the scenarios: real US numbers (valid by the numbering plan, so the
 * sandbox counts them as WhatsApp users with no set-up), written the ways users type them.
 * Each block of numbers has its own prefix so scenarios never share state by accident.
 */

export interface BenchNumber {
  /** What is sent, e.g. `+1 (631) 555-0003`. */
  input: string;
  /** What the server answers for it, e.g. `16315550003`. */
  waId: string;
}

/** Area code + exchange of each pool: 10,000 numbers per exchange. */
export const POOLS = {
  check: ['631555', '631556'],
  blocklist: ['212555', '212556'],
  identity: ['415555'],
  moderation: ['646555'],
} as const;

/** `count` wa_ids from the exchanges, in order (`1` + area code + exchange + 4 digits). */
export function waIds(exchanges: readonly string[], count: number): string[] {
  if (count > exchanges.length * 10_000)
    throw new RangeError(`at most ${exchanges.length * 10_000} numbers in this pool`);
  return Array.from(
    { length: count },
    (_, i) => `1${exchanges[Math.floor(i / 10_000)]}${String(i % 10_000).padStart(4, '0')}`,
  );
}

/** The formats of the spec's examples, in turn: international, digits, national with and without punctuation. */
export function formatInput(waId: string, i: number): string {
  const area = waId.slice(1, 4);
  const exchange = waId.slice(4, 7);
  const line = waId.slice(7);
  switch (i % 4) {
    case 0:
      return `+1 ${area} ${exchange} ${line}`;
    case 1:
      return waId;
    case 2:
      return `+1 (${area}) ${exchange}-${line}`;
    default:
      // No +: the business number's country (US for the default +16315550100) applies.
      return `${area}-${exchange}-${line}`;
  }
}

export function checkNumbers(count: number): BenchNumber[] {
  return waIds(POOLS.check, count).map((waId, i) => ({ waId, input: formatInput(waId, i) }));
}
