import { parseArgs } from 'node:util';
import { CliError, EXIT } from './exit-codes.js';

export interface CheckArgs {
  file: string | undefined;
  column: string | number;
  inputFormat: 'csv' | 'list';
  header: boolean;
  format: 'csv' | 'jsonl';
  out: string | undefined;
  rejects: string | undefined;
  resume: boolean;
  url: string;
  username: string;
  password: string;
  newPassword: string | undefined;
  batchSize: number;
  concurrency: number;
  pollIntervalMs: number;
  progress: 'auto' | 'bar' | 'lines' | 'none';
}

export const HELP = `Usage: wa-contacts check [FILE] [options]

Checks every number of FILE (or stdin) on a WhatsApp Business API node, and writes one result
per row, in input order: input, status, wa_id, then the row's other columns.

Input:
  --input-format csv|list  csv (default for *.csv: the first line names the columns) or list
                           (one number per line; the default for other files and stdin)
  --column NAME|INDEX      the column of the numbers, by name or from 1 (default: the first)
  --no-header              the CSV has no header line (columns are then named column_1, ...)
Output:
  --out FILE               write results to FILE (default: stdout, results only)
  --format csv|jsonl       csv (default) or JSON Lines
  --rejects FILE           write bad rows there (line number and reason) instead of stopping
  --resume                 continue an interrupted run: keep what --out already holds
Connection (or the variables WA_URL, WA_USERNAME, WA_PASSWORD):
  --url URL  --username NAME  --password PASSWORD
  --new-password PASSWORD  set the password at the factory account's first login
Tuning:
  --batch-size N (1000, at most 10000)  --concurrency N (2)  --poll-interval MS (1000)
  --progress auto|bar|lines|none  (auto: a bar on a terminal, a line every 5 s otherwise)

Exit codes: 0 done, 1 unexpected error, 2 bad input or arguments, 3 authentication refused,
4 server unreachable, 130 interrupted (run again with --resume).

Examples:
  wa-contacts check customers.csv --column phone --out checked.csv --rejects bad-rows.csv
  wa-contacts check customers.csv --out checked.csv --resume
  cut -d, -f3 export.csv | wa-contacts check --format jsonl > checked.jsonl
`;

function positiveInt(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max)
    throw new CliError(`--${name} must be a whole number from 1 to ${max}, got "${value}"`, EXIT.badInput);
  return n;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new CliError(`--${name} must be ${allowed.join(' or ')}, got "${value}"`, EXIT.badInput);
  return value as T;
}

/** The arguments after `check`; undefined when --help was asked for. */
export function parseCheckArgs(argv: string[], env: NodeJS.ProcessEnv): CheckArgs | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nSee wa-contacts --help.`, EXIT.badInput);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return undefined;
  if (positionals.length > 1) throw new CliError('give one input file (or none for stdin)', EXIT.badInput);
  const file = positionals[0] === '-' ? undefined : positionals[0];
  const url = v.url ?? env.WA_URL;
  const username = v.username ?? env.WA_USERNAME;
  const password = v.password ?? env.WA_PASSWORD;
  if (!url || !username || !password)
    throw new CliError(
      '--url, --username and --password (or WA_URL, WA_USERNAME, WA_PASSWORD) are needed',
      EXIT.badInput,
    );
  if (!URL.canParse(url))
    throw new CliError(`--url must be a URL such as https://waba.example.com, got "${url}"`, EXIT.badInput);
  if (v.resume && !v.out) throw new CliError('--resume needs --out FILE: it continues that file', EXIT.badInput);
  const column = v.column === undefined ? 1 : /^\d+$/.test(v.column) ? Number(v.column) : v.column;
  if (column === 0) throw new CliError('--column counts from 1', EXIT.badInput);
  return {
    file,
    column,
    inputFormat: oneOf('input-format', v['input-format'], ['csv', 'list'], file?.endsWith('.csv') ? 'csv' : 'list'),
    header: !v['no-header'],
    format: oneOf('format', v.format, ['csv', 'jsonl'], 'csv'),
    out: v.out,
    rejects: v.rejects,
    resume: v.resume ?? false,
    url,
    username,
    password,
    newPassword: v['new-password'],
    batchSize: positiveInt('batch-size', v['batch-size'], 1000, 10_000),
    concurrency: positiveInt('concurrency', v.concurrency, 2, 16),
    pollIntervalMs: positiveInt('poll-interval', v['poll-interval'], 1000),
    progress: oneOf('progress', v.progress, ['auto', 'bar', 'lines', 'none'], 'auto'),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      column: { type: 'string' },
      'input-format': { type: 'string' },
      'no-header': { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string', short: 'o' },
      rejects: { type: 'string' },
      resume: { type: 'boolean' },
      url: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      'new-password': { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      'poll-interval': { type: 'string' },
      progress: { type: 'string' },
    },
  });
}
