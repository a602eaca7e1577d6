import { afterAll, beforeAll, expect } from 'vitest';
import { createServer, type ReferenceServer, type ServerOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { lateBound } from './late-bound.js';
import { createApiClient, injectTransport, type ApiClient } from './api-client.js';
import type { StorageInstance, StorageTarget } from './storage-targets.js';

/** The password the harness configures through WA_ADMIN_PASSWORD (final: no change at first login). */
export const TEST_PASSWORD = 'Test-Passw0rd!';
export const FACTORY = { username: 'admin', password: 'secret' } as const;
/** A password the policy accepts, for the factory flow. */
export const NEW_PASSWORD = 'N3w-Passw0rd!';

export interface HarnessOptions {
  /** Environment for loadConfig, over the harness defaults (memory PGlite, silent log). */
  env?: Record<string, string>;
  /** Where the data lives; in-memory PGlite when absent. */
  storage?: StorageInstance;
  /**
   * 'configured': WA_ADMIN_PASSWORD is set and used as is (default).
   * 'factory': admin/secret, first login sets NEW_PASSWORD.
   * 'none': no login (the test does it); the password is TEST_PASSWORD unless env sets one.
   */
  login?: 'configured' | 'factory' | 'none';
  /** The server's logger (createServer's option); pino at LOG_LEVEL when absent. */
  logger?: ServerOptions['logger'];
  /** The rate limits' clock (createServer's option); performance.now when absent. */
  rateLimitClock?: ServerOptions['rateLimitClock'];
  /** Whether startServer returns before the check index's load has ended (it waits by default, so a test sees what a warm server does). */
  indexLoading?: 'wait' | 'no-wait';
}

export interface Harness {
  server: ReferenceServer;
  config: Config;
  api: ApiClient;
  /** The admin's current password. */
  password: string;
  sandbox: SandboxHelpers;
  /** The server's clock (real time + the sandbox offset). */
  now(): number;
  close(): Promise<void>;
}

function envFor(options: HarnessOptions): Record<string, string> {
  // Tests send requests (and fail logins) in bursts on purpose: the rate limits and the login
  // throttle are on only where a test asks for them.
  const env: Record<string, string> = {
    WA_DATA_DIR: 'memory',
    LOG_LEVEL: 'silent',
    WA_RATE_LIMIT: 'off',
    ...options.storage?.env,
    ...options.env,
  };
  // The harness's own password unless the test asks for the factory account (WA_ADMIN_PASSWORD: '').
  if (options.login !== 'factory' && env.WA_ADMIN_PASSWORD === undefined) env.WA_ADMIN_PASSWORD = TEST_PASSWORD;
  return env;
}

export async function startServer(options: HarnessOptions = {}): Promise<Harness> {
  const config = loadConfig(envFor(options));
  const server = await createServer(config, { logger: options.logger, rateLimitClock: options.rateLimitClock });
  if (options.indexLoading !== 'no-wait') await server.indexLoaded;
  const api = createApiClient(injectTransport(server.app), { version: config.apiVersion });
  let password = config.admin.password;
  const mode = options.login ?? 'configured';
  if (mode !== 'none') {
    const body = mode === 'factory' ? { new_password: NEW_PASSWORD } : undefined;
    const res = await api.call('login', { basic: { username: config.admin.username, password }, body });
    expect(res.status, res.text).toBe(200);
    if (mode === 'factory') password = NEW_PASSWORD;
    api.token = (res.body as { users: Array<{ token: string }> }).users[0]!.token;
  }
  // Moving the clock 7 days expires the harness's own token: log in again after each move.
  const relogin =
    mode === 'none'
      ? undefined
      : async () => {
          api.token = await login(api, config.admin.username, password);
        };
  return {
    server,
    config,
    api,
    password,
    sandbox: sandboxHelpers(api, relogin),
    now: () => server.clock.now(),
    close: () => server.app.close(),
  };
}

/**
 * For a describe block (or a file) whose tests share one in-process server: started before its
 * tests (startServer(options)), on a fresh place of `target` when given, closed (and the place
 * dropped) after them. The harness it returns reads through to that server, so it is used in
 * tests and hooks as `h.api`, `h.sandbox`... like startServer's.
 */
export function useServer({ target, ...options }: HarnessOptions & { target?: StorageTarget } = {}): Harness {
  let harness: Harness | undefined;
  let storage: StorageInstance | undefined;
  beforeAll(async () => {
    storage = await target?.create();
    harness = await startServer(storage ? { ...options, storage } : options);
  }, START_TIMEOUT);
  afterAll(async () => {
    await harness?.close();
    await storage?.cleanup();
  });
  return lateBound(() => harness, "useServer's harness");
}

/** Logs in with Basic credentials and returns the token (asserting 200). */
export async function login(api: ApiClient, username: string, password: string, newPassword?: string): Promise<string> {
  const res = await api.call('login', {
    basic: { username, password },
    body: newPassword === undefined ? undefined : { new_password: newPassword },
  });
  expect(res.status, res.text).toBe(200);
  return (res.body as { users: Array<{ token: string }> }).users[0]!.token;
}

export interface SandboxHelpers {
  register(
    waId: string,
    identityHash?: string,
  ): Promise<{ hash: string; created_timestamp: number; acknowledged: boolean }>;
  deleteAccount(waId: string): Promise<void>;
  /** An inbound message from waId: it is engaged for 24 hours. Returns the message id. */
  inbound(from: string, message?: { text?: string; id?: string }): Promise<string>;
  changeIdentity(waId: string): Promise<string>;
  /** Moves the server clock forward (and, when the harness logged in, logs in again); returns the server's new now. */
  advanceClock(ms: number): Promise<number>;
  reports(): Promise<SandboxReport[]>;
}

export interface SandboxReport {
  wa_id: string;
  reason: string | null;
  block: boolean;
  reported_at: number;
  messages: Array<{ id: string; text: string; received_at: number }>;
}

/** The sandbox calls tests use to set the world up; each must succeed. */
export function sandboxHelpers(api: ApiClient, afterClockMove?: () => Promise<void>): SandboxHelpers {
  const ok = async (promise: ReturnType<ApiClient['call']>) => {
    const res = await promise;
    expect(res.status, res.text).toBe(200);
    return res.body as Record<string, unknown>;
  };
  return {
    async register(waId, identityHash) {
      const body = await ok(
        api.call('registerAccount', {
          params: { wa_id: waId },
          body: identityHash ? { identity_hash: identityHash } : undefined,
        }),
      );
      return (body.account as { identity: { hash: string; created_timestamp: number; acknowledged: boolean } })
        .identity;
    },
    async deleteAccount(waId) {
      await ok(api.call('deleteAccount', { params: { wa_id: waId } }));
    },
    async inbound(from, message = {}) {
      const body = await ok(
        api.call('receiveMessage', {
          body: { from, text: message.text ?? 'hello', ...(message.id ? { id: message.id } : {}) },
        }),
      );
      return body.message_id as string;
    },
    async changeIdentity(waId) {
      return (await ok(api.call('changeIdentity', { params: { wa_id: waId } }))).hash as string;
    },
    async advanceClock(ms) {
      const now = (await ok(api.call('advanceClock', { body: { advance_ms: ms } }))).now as number;
      await afterClockMove?.();
      return now;
    },
    async reports() {
      return (await ok(api.call('listReports'))).reports as SandboxReport[];
    },
  };
}

/**
 * Distinct valid US numbers (every 1631555xxxx is valid by the numbering plan), so tests
 * sharing one server never share a contact.
 */
export function numberSequence(start = 2000): () => string {
  let next = start;
  return () => {
    if (next > 9999) throw new Error('numberSequence exhausted');
    return `1631555${String(next++).padStart(4, '0')}`;
  };
}

/** For beforeAll hooks and tests that start a server: opening PGlite takes seconds under load. */
export const START_TIMEOUT = 60_000;

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
