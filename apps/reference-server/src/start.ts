import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from './cli/node-flags.js';
import { CONFIG_DEFAULTS } from './config.js';

export interface StartOptions {
  /** 127.0.0.1 unless given. */
  host?: string;
  /** 0 (a port the OS picks) unless given. */
  port?: number;
  /** PGlite's folder; 'memory' (a throwaway database) unless given. */
  dataDir?: string;
  /** PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  apiVersion?: string;
  businessNumber?: string;
  /** true unless given. */
  sandbox?: boolean;
  /** 'on', 'off' or RATE/BURST; the server's default (on) unless given. */
  rateLimit?: string;
  adminUsername?: string;
  adminPassword?: string;
  misusePolicy?: 'off' | 'warn' | 'enforce';
  /** 'warn' unless given. */
  logLevel?: string;
  /** A JSON file of GET /sandbox/snapshot's shape (or part of it) that the state starts from. */
  seed?: string;
  /** Further server variables (WA_CHECK_DELAY_MS, ...); the options above win. */
  env?: Record<string, string>;
  /** How long it may take to listen: 60 s unless given (PGlite's first start makes its template). */
  timeoutMs?: number;
}

export interface StartedReferenceServer {
  /** http://host:port, no trailing slash. */
  url: string;
  /** The admin account's name and password (the factory password "secret" must be changed at first login). */
  admin: { username: string; password: string };
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  close(): Promise<void>;
}

const READY = /reference server on (http:\/\/\S+)/;
/** The variables the server reads: a test process's own are not passed on. */
const SERVER_VARIABLES = [...Object.keys(CONFIG_DEFAULTS), 'DATABASE_URL', 'WA_SEED'];

function variables(options: StartOptions): Record<string, string> {
  const given: Record<string, string | undefined> = {
    HOST: options.host ?? '127.0.0.1',
    PORT: String(options.port ?? 0),
    WA_DATA_DIR: options.databaseUrl ? undefined : (options.dataDir ?? 'memory'),
    DATABASE_URL: options.databaseUrl,
    WA_API_VERSION: options.apiVersion,
    WA_BUSINESS_NUMBER: options.businessNumber,
    WA_SANDBOX: options.sandbox === false ? 'off' : 'on',
    WA_RATE_LIMIT: options.rateLimit,
    WA_ADMIN_USERNAME: options.adminUsername,
    WA_ADMIN_PASSWORD: options.adminPassword,
    WA_MISUSE_POLICY: options.misusePolicy,
    LOG_LEVEL: options.logLevel ?? 'warn',
    WA_SEED: options.seed,
  };
  const env: Record<string, string> = { ...options.env };
  for (const [name, value] of Object.entries(given)) if (value !== undefined) env[name] = value;
  return env;
}

/**
 * Starts the server as a child process (node with its V8 flags, which a running process cannot take,
 * and PGlite's memory stays out of the caller's) and resolves once it listens.
 */
export async function startReferenceServer(options: StartOptions = {}): Promise<StartedReferenceServer> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SERVER_VARIABLES.includes(name)));
  const env = { ...base, ...variables(options) };
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const child = spawn(process.execPath, [...NODE_FLAGS, main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`not listening after ${options.timeoutMs ?? 60_000} ms`)),
      options.timeoutMs ?? 60_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`The reference server did not start: ${error.message}\n${output}`));
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`it exited (${signal ?? code})`)));
  });
  // Keep draining its output, or a chatty server would block on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  const defaults = CONFIG_DEFAULTS;
  return {
    url,
    admin: {
      username: env.WA_ADMIN_USERNAME || defaults.WA_ADMIN_USERNAME,
      password: env.WA_ADMIN_PASSWORD || defaults.WA_ADMIN_PASSWORD,
    },
    pid: child.pid!,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}
