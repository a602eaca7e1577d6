import { bench, describe } from 'vitest';
// The server's own normalizer, as built (the package exports only the server factory).
import { PhoneNormalizer } from '../../reference-server/dist/domain/phone.js';

// The default business number, +1 631 555 0100: numbers without + are read as US numbers.
const business = { region: 'US', callingCode: '1' } as const;

const FORMATS: Record<string, string> = {
  'international (+1 631 555 0100)': '+1 631 555 0100',
  'digits (16315550101)': '16315550101',
  'national with punctuation ((631) 555-0102)': '(631) 555-0102',
  'foreign (+44 20 7946 0958)': '+44 20 7946 0958',
  'not valid after +, business country applies (+6315550103)': '+6315550103',
  'unreadable (abc)': 'abc',
};

// Cold: a fresh normalizer each time, so the input is parsed with the full metadata.
// Cached: the same normalizer, so the second and later calls are a Map lookup.
for (const [name, input] of Object.entries(FORMATS)) {
  describe(`PhoneNormalizer.normalize: ${name}`, () => {
    const warm = new PhoneNormalizer(business);
    warm.normalize(input);
    bench('cold', () => {
      new PhoneNormalizer(business).normalize(input);
    });
    bench('cached', () => {
      warm.normalize(input);
    });
  });
}

describe('PhoneNormalizer.normalize: 1,000 distinct numbers', () => {
  const inputs = Array.from({ length: 1000 }, (_, i) => `+1 631 555 ${String(i).padStart(4, '0')}`);
  const warm = new PhoneNormalizer(business);
  for (const input of inputs) warm.normalize(input);
  bench('cold', () => {
    const n = new PhoneNormalizer(business);
    for (const input of inputs) n.normalize(input);
  });
  bench('cached', () => {
    for (const input of inputs) warm.normalize(input);
  });
});
