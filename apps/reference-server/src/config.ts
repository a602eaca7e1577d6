import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Which contact-check behaviour the emulated On-Premises version has. */
export type ContactSemantics = 'v2.41' | 'v2.43';

export interface Config {
  host: string;
  port: number;
  /** PGlite's folder, or 'memory' for a throwaway one. Ignored when databaseUrl is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  /** `meta.version`, e.g. v2.45.1. */
  apiVersion: string;
  semantics: ContactSemantics;
  business: { number: string; region: CountryCode | undefined; callingCode: string };
  sandbox: boolean;
  admin: { username: string; password: string; mustChangePassword: boolean };
  logLevel: string;
  /** How long a `no_wait` check stays `processing` before its background check runs. */
  checkDelayMs: number;
  /** Each contacts operation's token bucket (WA_RATE_LIMIT): refill per second, capacity; undefined when off. */
  rateLimit: { perSecond: number; burst: number } | undefined;
  /** The login throttle (domain/auth.ts); off with WA_RATE_LIMIT=off. */
  loginThrottle: boolean;
  /** How long a client has to send a whole request, headers and body (WA_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** How many numbers may wait for their background check; a `no_wait` check beyond it is refused (429). */
  checkQueueMax: number;
  /** Check inputs, with their numbers' results, the in-process index holds (WA_CHECK_INDEX_MAX; 16 MB per million). */
  checkIndexMax: number;
  /** Meta's misuse rule (WA_MISUSE_POLICY, domain/misuse.ts): off, warn (log and show) or enforce (disable). */
  misusePolicy: 'off' | 'warn' | 'enforce';
  /** How long a webhook has to answer a callback before the attempt counts as failed (WA_WEBHOOK_TIMEOUT_MS). */
  webhookTimeoutMs: number;
  /** How many of the newest callbacks the delivery log keeps; older ones go once delivered (WA_WEBHOOK_LOG_KEEP). */
  webhookLogKeep: number;
}

export class ConfigError extends Error {}

const FACTORY_PASSWORD = 'secret';
/** The spec's maxItems of a check's `contacts`. */
const MAX_CONTACTS_PER_REQUEST = 10_000;

export const CONFIG_DEFAULTS = {
  HOST: '127.0.0.1',
  PORT: '8080',
  WA_DATA_DIR: '.data',
  WA_API_VERSION: 'v2.45.1',
  WA_BUSINESS_NUMBER: '+16315550100',
  WA_SANDBOX: 'on',
  WA_ADMIN_USERNAME: 'admin',
  WA_ADMIN_PASSWORD: FACTORY_PASSWORD,
  WA_CHECK_DELAY_MS: '0',
  // The node's limit on its non-messages endpoints: 20 requests/s, bursts to 60.
  WA_RATE_LIMIT: 'on',
  WA_REQUEST_TIMEOUT_MS: '30000',
  WA_CHECK_QUEUE_MAX: '100000',
  WA_CHECK_INDEX_MAX: '1000000',
  WA_MISUSE_POLICY: 'warn',
  // Meta publishes no callback timeout: 10 s is the emulator's choice.
  WA_WEBHOOK_TIMEOUT_MS: '10000',
  // The emulator's delivery log: 10 times GET /sandbox/webhooks at its largest limit.
  WA_WEBHOOK_LOG_KEEP: '10000',
  LOG_LEVEL: 'info',
} as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = (name: keyof typeof CONFIG_DEFAULTS) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? CONFIG_DEFAULTS[name] : value;
  };
  /** The variable as a whole number written in decimal digits only, or NaN. */
  const wholeNumber = (name: keyof typeof CONFIG_DEFAULTS) => {
    const value = get(name);
    const n = Number(value);
    return /^\d+$/.test(value) && Number.isSafeInteger(n) ? n : Number.NaN;
  };

  const port = wholeNumber('PORT');
  if (!(port <= 65535)) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);

  const version = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(get('WA_API_VERSION'));
  if (!version) throw new ConfigError(`WA_API_VERSION must look like 2.41 or v2.45.1, got "${env.WA_API_VERSION}"`);
  const [major, minor, patch = '0'] = version.slice(1).map((v) => v ?? '0') as [string, string, string?];
  const semantics: ContactSemantics =
    Number(major) > 2 || (Number(major) === 2 && Number(minor) >= 43) ? 'v2.43' : 'v2.41';

  const businessNumber = get('WA_BUSINESS_NUMBER');
  const parsed = parsePhoneNumberFromString(businessNumber);
  if (!parsed?.isValid())
    throw new ConfigError(`WA_BUSINESS_NUMBER must be a valid number with + and country code, got "${businessNumber}"`);

  const sandbox = get('WA_SANDBOX').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(sandbox))
    throw new ConfigError(`WA_SANDBOX must be on or off, got "${sandbox}"`);

  const checkDelayMs = wholeNumber('WA_CHECK_DELAY_MS');
  if (Number.isNaN(checkDelayMs))
    throw new ConfigError(`WA_CHECK_DELAY_MS must be a whole number of milliseconds, got "${env.WA_CHECK_DELAY_MS}"`);

  const rateLimit = parseRateLimit(get('WA_RATE_LIMIT'));

  const requestTimeoutMs = wholeNumber('WA_REQUEST_TIMEOUT_MS');
  if (!(requestTimeoutMs >= 1)) {
    throw new ConfigError(
      `WA_REQUEST_TIMEOUT_MS must be a whole number of milliseconds above 0, got "${env.WA_REQUEST_TIMEOUT_MS}"`,
    );
  }

  const checkQueueMax = wholeNumber('WA_CHECK_QUEUE_MAX');
  // Below a request's 10,000 numbers, a full request could never be admitted.
  if (!(checkQueueMax >= MAX_CONTACTS_PER_REQUEST)) {
    throw new ConfigError(
      `WA_CHECK_QUEUE_MAX must be a whole number of at least ${MAX_CONTACTS_PER_REQUEST}, got "${env.WA_CHECK_QUEUE_MAX}"`,
    );
  }

  const checkIndexMax = wholeNumber('WA_CHECK_INDEX_MAX');
  if (!(checkIndexMax >= 1)) {
    throw new ConfigError(`WA_CHECK_INDEX_MAX must be a whole number of 1 or more, got "${env.WA_CHECK_INDEX_MAX}"`);
  }

  const misusePolicy = get('WA_MISUSE_POLICY').toLowerCase();
  if (misusePolicy !== 'off' && misusePolicy !== 'warn' && misusePolicy !== 'enforce')
    throw new ConfigError(`WA_MISUSE_POLICY must be off, warn or enforce, got "${env.WA_MISUSE_POLICY}"`);
  const webhookTimeoutMs = wholeNumber('WA_WEBHOOK_TIMEOUT_MS');
  if (!(webhookTimeoutMs >= 1)) {
    throw new ConfigError(
      `WA_WEBHOOK_TIMEOUT_MS must be a whole number of milliseconds above 0, got "${env.WA_WEBHOOK_TIMEOUT_MS}"`,
    );
  }

  const webhookLogKeep = wholeNumber('WA_WEBHOOK_LOG_KEEP');
  if (Number.isNaN(webhookLogKeep)) {
    throw new ConfigError(`WA_WEBHOOK_LOG_KEEP must be a whole number of callbacks, got "${env.WA_WEBHOOK_LOG_KEEP}"`);
  }

  const adminPassword = get('WA_ADMIN_PASSWORD');
  return {
    host: get('HOST'),
    port,
    dataDir: get('WA_DATA_DIR'),
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    apiVersion: `v${Number(major)}.${Number(minor)}.${Number(patch)}`,
    semantics,
    business: { number: parsed.number, region: parsed.country, callingCode: parsed.countryCallingCode },
    sandbox: ['on', 'true', '1'].includes(sandbox),
    // Only the factory password must be changed at first login; an operator's own is final.
    admin: {
      username: get('WA_ADMIN_USERNAME'),
      password: adminPassword,
      mustChangePassword: adminPassword === FACTORY_PASSWORD,
    },
    logLevel: get('LOG_LEVEL'),
    checkDelayMs,
    rateLimit,
    loginThrottle: rateLimit !== undefined,
    requestTimeoutMs,
    checkQueueMax,
    checkIndexMax,
    misusePolicy,
    webhookTimeoutMs,
    webhookLogKeep,
  };
}

/** `on` (20/s, bursts to 60), `off`, or RATE/BURST: requests per second (a decimal may be below 1) and the bucket's size. */
function parseRateLimit(value: string): Config['rateLimit'] {
  const setting = value.toLowerCase();
  if (setting === 'on') return { perSecond: 20, burst: 60 };
  if (setting === 'off') return undefined;
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(setting);
  const perSecond = Number(match?.[1]);
  const burst = Number(match?.[2]);
  if (!match || !(perSecond > 0) || !Number.isFinite(perSecond) || !Number.isSafeInteger(burst) || burst < 1) {
    throw new ConfigError(
      `WA_RATE_LIMIT must be on, off or RATE/BURST (requests per second above 0 / a bucket of 1 or more, e.g. 20/60), got "${value}"`,
    );
  }
  return { perSecond, burst };
}
