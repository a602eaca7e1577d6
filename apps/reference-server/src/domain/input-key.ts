/** libphonenumber reads nothing longer (MAX_INPUT_STRING_LENGTH): such an input is left to the parse. */
const MAX_LENGTH = 250;
/** The most digits a key holds exactly: 10^15 + 15 digits < 2^53. */
const MAX_DIGITS = 15;
/** Fewer digits pass libphonenumber's viability test only without punctuation. */
const MIN_DIGITS = 3;
const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, n) => 10 ** n);

/**
 * A number that stands for what an input of a check normalizes to, or NaN. For an input that,
 * trimmed, is an optional leading + and digits among spaces, ( ) - . / (the dialable shape of
 * phone.ts), of at most 250 characters, libphonenumber's result depends only on the + and the
 * digits: the punctuation is stripped and no extension or RFC 3966 form can be written with
 * those characters (test/domain/input-key.test.ts compares both for every format). The key is
 * 10^digits + their value (leading zeros kept), negative with a +.
 */
export function inputKey(input: string): number {
  // trim() only when an end may be whitespace (it copies the string): most inputs start with + or a digit and end with one.
  const text = plain(input.charCodeAt(0)) && plain(input.charCodeAt(input.length - 1)) ? input : input.trim();
  if (text.length > MAX_LENGTH) return Number.NaN;
  const plus = text.charCodeAt(0) === 43;
  let value = 0;
  let digits = 0;
  for (let i = plus ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === MAX_DIGITS) return Number.NaN;
      value = value * 10 + (c - 48);
      digits++;
    } else if (c !== 32 && c !== 40 && c !== 41 && c !== 45 && c !== 46 && c !== 47) {
      // Anything but space ( ) - . / is not dialable.
      return Number.NaN;
    }
  }
  if (digits < MIN_DIGITS) return Number.NaN;
  const key = POW10[digits]! + value;
  return plus ? -key : key;
}

/** Whether a character is surely no whitespace of trim(): printable ASCII (NaN, past the end, is not). */
const plain = (c: number): boolean => c > 32 && c < 127;

/** The digits a key stands for, leading zeros kept, without the + (its sign). */
export function keyDigits(key: number): string {
  const abs = Math.abs(key);
  let digits = MIN_DIGITS;
  while (digits < MAX_DIGITS && POW10[digits + 1]! <= abs) digits++;
  return String(abs - POW10[digits]!).padStart(digits, '0');
}

/** The key of an input that is exactly these digits (no +), or NaN when no input of them has one. */
export function keyOfDigits(digits: string): number {
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS || !/^[0-9]+$/.test(digits)) return Number.NaN;
  return POW10[digits.length]! + Number(digits);
}
