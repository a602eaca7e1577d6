import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CliError, EXIT } from './exit-codes.js';

/**
 * How many results a file from an earlier run holds. A last line without its newline (the
 * run stopped mid-write) is cut off, so that it is written again whole.
 */
export function resultsWritten(file: string, format: 'csv' | 'jsonl'): { count: number; hasHeader: boolean } {
  if (!existsSync(file)) return { count: 0, hasHeader: false };
  const text = readFileSync(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  if (complete.length < text.length) truncateSync(file, Buffer.byteLength(complete));
  if (format === 'jsonl') return { count: complete.split('\n').length - 1, hasHeader: false };
  try {
    const records: unknown[] = parse(complete, { relax_column_count: true });
    return { count: Math.max(0, records.length - 1), hasHeader: records.length > 0 };
  } catch (error) {
    throw new CliError(`${file} cannot be resumed: ${(error as Error).message}`, EXIT.badInput);
  }
}

/** The input lines a rejects file already names. */
export function linesRejected(file: string): Set<number> {
  if (!existsSync(file)) return new Set();
  const records: string[][] = parse(readFileSync(file, 'utf8'), { from_line: 2, relax_column_count: true });
  return new Set(records.map(([line]) => Number(line)));
}
