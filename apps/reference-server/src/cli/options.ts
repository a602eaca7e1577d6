import { parseArgs } from 'node:util';
import { CONFIG_DEFAULTS } from '../config.js';

/** A flag of the bin, the variable it sets, and what --help says of it. */
interface Flag {
  name: string;
  env: keyof typeof CONFIG_DEFAULTS | 'DATABASE_URL' | 'WA_SEED';
  value: string;
  help: string;
}

export const FLAGS: readonly Flag[] = [
  { name: 'host', env: 'HOST', value: 'HOST', help: 'address to listen on' },
  { name: 'port', env: 'PORT', value: 'PORT', help: 'port to listen on (0: one the OS picks, printed in the banner)' },
  { name: 'data-dir', env: 'WA_DATA_DIR', value: 'DIR', help: "PGlite's folder, or memory for a throwaway database" },
  { name: 'database-url', env: 'DATABASE_URL', value: 'URL', help: 'PostgreSQL instead of PGlite (postgres://...)' },
  {
    name: 'api-version',
    env: 'WA_API_VERSION',
    value: 'VERSION',
    help: 'the On-Premises version emulated (meta.version)',
  },
  { name: 'business-number', env: 'WA_BUSINESS_NUMBER', value: 'E164', help: "the business's own number" },
  {
    name: 'sandbox',
    env: 'WA_SANDBOX',
    value: 'on|off',
    help: 'the /sandbox routes (clock, inbound messages, snapshot, ...)',
  },
  {
    name: 'rate-limit',
    env: 'WA_RATE_LIMIT',
    value: 'on|off|R/B',
    help: 'token bucket per operation, and the login throttle',
  },
  { name: 'admin-username', env: 'WA_ADMIN_USERNAME', value: 'NAME', help: "the admin account's name" },
  {
    name: 'admin-password',
    env: 'WA_ADMIN_PASSWORD',
    value: 'PASSWORD',
    help: 'its password (the factory one must be changed at first login)',
  },
  { name: 'check-delay-ms', env: 'WA_CHECK_DELAY_MS', value: 'MS', help: 'how long a no_wait check stays processing' },
  {
    name: 'request-timeout-ms',
    env: 'WA_REQUEST_TIMEOUT_MS',
    value: 'MS',
    help: 'time a client has to send a whole request',
  },
  {
    name: 'check-queue-max',
    env: 'WA_CHECK_QUEUE_MAX',
    value: 'N',
    help: 'numbers that may wait for their background check, or for a turn among large checks',
  },
  {
    name: 'check-index-max',
    env: 'WA_CHECK_INDEX_MAX',
    value: 'N',
    help: 'check inputs, with their results, held in memory (16 MB per million)',
  },
  { name: 'misuse-policy', env: 'WA_MISUSE_POLICY', value: 'off|warn|enforce', help: "Meta's misuse rule" },
  {
    name: 'seed',
    env: 'WA_SEED',
    value: 'FILE',
    help: 'a snapshot (GET /sandbox/snapshot), or part of one, that replaces the state at start',
  },
  {
    name: 'log-level',
    env: 'LOG_LEVEL',
    value: 'LEVEL',
    help: 'pino level: fatal, error, warn, info, debug, trace, silent',
  },
];

export type Parsed = { kind: 'help' } | { kind: 'version' } | { kind: 'start'; env: Record<string, string> };

/** The command line as variables (a flag wins over its variable); throws TypeError on an unknown flag. */
export function parseCommandLine(args: readonly string[]): Parsed {
  const options = Object.fromEntries(FLAGS.map((f) => [f.name, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: [...args],
    options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const env: Record<string, string> = {};
  for (const flag of FLAGS) {
    const value = (values as Record<string, unknown>)[flag.name];
    if (typeof value === 'string') env[flag.env] = value;
  }
  return { kind: 'start', env };
}

/** --help: every flag, its variable and its default. */
export function helpText(): string {
  const defaults: Record<string, string> = { ...CONFIG_DEFAULTS, DATABASE_URL: '(none: PGlite)', WA_SEED: '(none)' };
  const rows = FLAGS.map((f) => [`  --${f.name} ${f.value}`, f.help, `${f.env}, default ${defaults[f.env]}`] as const);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return [
    'wa-contacts-server: the reference server of the WhatsApp On-Premises /v1/contacts node',
    '',
    'Usage: wa-contacts-server [flags]   (every flag mirrors an environment variable; a flag wins)',
    '',
    ...rows.map(([flag, help, env]) => `${flag.padEnd(width)}${help}\n${''.padEnd(width)}[${env}]`),
    `  -h, --help`.padEnd(width) + 'this text',
    `  -v, --version`.padEnd(width) + "the package's version",
    '',
  ].join('\n');
}
