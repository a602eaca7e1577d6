import { bundled } from '@wa-contacts/test-kit/contract';
import { describe, expect, it } from 'vitest';
import { ERROR_TITLES } from '../src/errors.js';

const ErrorCode = bundled.contacts.components?.schemas?.ErrorCode as { description: string; enum: number[] };

/** The `| code | title | when |` rows of the spec's ErrorCode description. */
function specTitles(): Record<number, string> {
  const rows = [...ErrorCode.description.matchAll(/^\| (\d{4}) \| ([^|]+?) \|/gm)];
  return Object.fromEntries(rows.map((row) => [Number(row[1]), row[2]!]));
}

describe('ERROR_TITLES', () => {
  it("is the spec's ErrorCode table (a title for each code of its enum), plus 1013 of the sandbox's simulated send", () => {
    expect(Object.keys(specTitles()).map(Number)).toEqual(ErrorCode.enum);
    expect(ERROR_TITLES).toEqual({ ...specTitles(), 1013: 'User is not valid' });
  });
});
