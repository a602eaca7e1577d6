import { stringify } from 'csv-stringify/sync';
import type { ContactCheckResult } from '@wa-contacts/client';
import type { BadRow, Row } from './input.js';

export interface Formatter {
  /** What a new file starts with: the CSV header line, or nothing. */
  readonly header: string;
  records(rows: readonly Row[], results: readonly ContactCheckResult[]): string;
}

export function formatter(format: 'csv' | 'jsonl', otherColumns: readonly string[]): Formatter {
  if (format === 'jsonl') {
    return {
      header: '',
      records: (rows, results) =>
        results
          .map((result, i) => {
            const others = Object.fromEntries(otherColumns.map((name, k) => [name, rows[i]?.others[k] ?? '']));
            return `${JSON.stringify({ ...result, ...others })}\n`;
          })
          .join(''),
    };
  }
  return {
    header: stringify([['input', 'status', 'wa_id', ...otherColumns]]),
    records: (rows, results) =>
      stringify(
        results.map((r, i) => [r.input, r.status, 'wa_id' in r ? (r.wa_id ?? '') : '', ...(rows[i]?.others ?? [])]),
      ),
  };
}

export const REJECTS_HEADER = stringify([['line', 'reason', 'row']]);

export function rejectRecords(bad: readonly BadRow[]): string {
  return stringify(bad.map(({ line, reason, raw }) => [line, reason, raw]));
}
