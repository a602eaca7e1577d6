// readInput: which rows are sent and which are bad, with the line each starts on.
import { describe, expect, it } from 'vitest';
import { readInput } from '../src/input.js';

const csv = { inputFormat: 'csv', header: true, column: 'phone' } as const;

describe('readInput', () => {
  it('names the line a bad row starts on, past quoted line breaks and blank lines', () => {
    const text = 'name,phone\n"Ada\nLovelace",+16315554001\n\n"Bob\nBrown",\nCy\n';
    expect(readInput(text, csv)).toEqual({
      otherColumns: ['name'],
      entries: [
        { line: 2, number: '+16315554001', others: ['Ada\nLovelace'] },
        { line: 5, reason: 'the number is empty', raw: '"Bob\nBrown",' },
        { line: 7, reason: 'the row has no such column', raw: 'Cy' },
      ],
    });
  });

  it('reads a plain list line by line, trimming and skipping blank lines', () => {
    const long = `+1${'0'.repeat(63)}`;
    expect(readInput(` +1 631 555 4001 \r\n\r\n(631) 555-4002\n${long}\n`, { ...csv, inputFormat: 'list' })).toEqual({
      otherColumns: [],
      entries: [
        { line: 1, number: '+1 631 555 4001', others: [] },
        { line: 3, number: '(631) 555-4002', others: [] },
        { line: 4, reason: 'the number is longer than 64 characters', raw: long },
      ],
    });
  });

  it('takes a column by index from 1, and names the others column_N without a header', () => {
    expect(readInput('a,+16315554001,b\n', { inputFormat: 'csv', header: false, column: 2 })).toEqual({
      otherColumns: ['column_1', 'column_3'],
      entries: [{ line: 1, number: '+16315554001', others: ['a', 'b'] }],
    });
  });
});
