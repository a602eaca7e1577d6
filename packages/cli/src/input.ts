import { parse } from 'csv-parse/sync';
import { CliError, EXIT } from './exit-codes.js';

/** The spec's maxLength of a PhoneNumber: longer ones would have the whole request refused. */
const MAX_NUMBER_LENGTH = 64;

export interface Row {
  line: number;
  number: string;
  /** The row's other columns, in `otherColumns` order. */
  others: string[];
}

export interface BadRow {
  line: number;
  reason: string;
  raw: string;
}

export interface Input {
  otherColumns: string[];
  /** Every row in input order, good or bad; blank lines are left out. */
  entries: (Row | BadRow)[];
}

export interface InputOptions {
  inputFormat: 'csv' | 'list';
  header: boolean;
  column: string | number;
}

export const isBad = (entry: Row | BadRow): entry is BadRow => 'reason' in entry;

function judge(line: number, value: string | undefined, others: string[], raw: string): Row | BadRow {
  if (value === undefined) return { line, reason: 'the row has no such column', raw };
  const number = value.trim();
  if (number === '') return { line, reason: 'the number is empty', raw };
  if (number.length > MAX_NUMBER_LENGTH)
    return { line, reason: `the number is longer than ${MAX_NUMBER_LENGTH} characters`, raw };
  return { line, number, others };
}

function readList(text: string): Input {
  const entries = text.split(/\r?\n/).flatMap((raw, i) => (raw.trim() === '' ? [] : [judge(i + 1, raw, [], raw)]));
  return { otherColumns: [], entries };
}

function readCsv(text: string, { header, column }: InputOptions): Input {
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    // With info and raw, csv-parse returns { record, info, raw } per row; its typings do not say so.
    records = parse(text, {
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new CliError(`the CSV cannot be read: ${(error as Error).message}`, EXIT.badInput);
  }
  const first = records[0]?.record ?? [];
  const names = header ? first.map((name) => name.trim()) : first.map((_, i) => `column_${i + 1}`);
  const index = typeof column === 'number' ? column - 1 : names.indexOf(column);
  if (index < 0) throw new CliError(`no column named "${column}"; the columns are: ${names.join(', ')}`, EXIT.badInput);
  if (index >= names.length)
    throw new CliError(`--column ${column}: the CSV has ${names.length} columns`, EXIT.badInput);
  const otherColumns = names.filter((_, i) => i !== index);
  const rows = header ? records.slice(1) : records;
  const entries = rows.map(({ record, info, raw }) => {
    const others = names.flatMap((_, i) => (i === index ? [] : [record[i] ?? '']));
    // csv-parse gives the line a record ends on, and its raw text after any blank lines before it.
    const text = raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, '');
    return judge(info.lines - (text.match(/\n/g)?.length ?? 0), record[index], others, text);
  });
  return { otherColumns, entries };
}

/** The rows of a CSV or a plain list (one number per line), each judged sendable or bad. */
export function readInput(text: string, options: InputOptions): Input {
  return options.inputFormat === 'csv' ? readCsv(text, options) : readList(text);
}
