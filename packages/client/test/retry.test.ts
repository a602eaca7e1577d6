// Opt-in retries, the per-request timeout and AbortSignal: the policy's arithmetic, stubbed
// fetches for what a server cannot be made to do on cue, and the reference server's real limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactsClient, WhatsAppApiError } from '../src/index.js';
import { backoffMs, isRepeatable, RETRY_DEFAULTS, retryAfterMs } from '../src/retry/policy.js';
import { startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';

const admin = { username: 'admin', password: 'Str0ng-Passw0rd!' };
const okBody = JSON.stringify({ meta: { api_status: 'stable', version: 'v2.45.1' }, contacts: [] });
const tooMany = () =>
  new Response(JSON.stringify({ errors: [{ code: 1015, title: 'Too many requests', details: 'slow down' }] }), {
    status: 429,
    headers: { 'Content-Type': 'application/json', 'Retry-After': '0' },
  });

describe('the retry policy', () => {
  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped, and waits at least Retry-After', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, RETRY_DEFAULTS, undefined, () => 1))).toEqual([
      250, 500, 1000, 2000,
    ]);
    expect(backoffMs(10, RETRY_DEFAULTS, undefined, () => 1)).toBe(10_000);
    expect(backoffMs(3, RETRY_DEFAULTS, undefined, () => 0.5)).toBe(1000);
    expect(backoffMs(0, RETRY_DEFAULTS, 2000, () => 0)).toBe(2000);
    expect(backoffMs(0, RETRY_DEFAULTS, 2000, () => 1)).toBe(2250);
  });

  it('repeats a contacts check, reads and unblock; not a report, a block or a login', () => {
    const at = (method: string, path: string) => isRepeatable(new Request(`http://h${path}`, { method }));
    expect(at('POST', '/v1/contacts')).toBe(true);
    expect(at('GET', '/v1/contacts/blocklist')).toBe(true);
    expect(at('POST', '/v1/contacts/%2B16315551001/unblock')).toBe(true);
    expect(at('POST', '/v1/contacts/%2B16315551001/report')).toBe(false);
    expect(at('POST', '/v1/contacts/%2B16315551001/block')).toBe(false);
    expect(at('POST', '/v1/users/login')).toBe(false);
  });
});

describe('retries, timeout and AbortSignal with a stubbed fetch', () => {
  it('sends a check again after a 429, with the same body', async () => {
    const bodies: string[] = [];
    const answers = [tooMany(), tooMany(), new Response(okBody, { headers: { 'Content-Type': 'application/json' } })];
    const client = createContactsClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      retry: { minDelayMs: 1 },
      fetch: async (request) => {
        bodies.push(await request.text());
        return answers.shift()!;
      },
    });
    expect(await client.checkContacts(['+16315551001'])).toEqual([]);
    expect(bodies).toEqual(Array(3).fill('{"contacts":["+16315551001"]}'));
  });

  it('gives up after `retries` further attempts and throws the last 429', async () => {
    let calls = 0;
    const client = createContactsClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      retry: { retries: 2, minDelayMs: 1 },
      fetch: async () => {
        calls++;
        return tooMany();
      },
    });
    await expect(client.checkContacts(['1'])).rejects.toMatchObject({ status: 429, code: 1015 });
    expect(calls).toBe(3);
  });

  it('does not retry a report', async () => {
    let calls = 0;
    const client = createContactsClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      retry: { minDelayMs: 1 },
      fetch: async () => {
        calls++;
        return tooMany();
      },
    });
    await expect(client.reportContact('+16315551001')).rejects.toBeInstanceOf(WhatsAppApiError);
    expect(calls).toBe(1);
  });

  it('times out each attempt, retries it, then throws the TimeoutError', async () => {
    let calls = 0;
    const hang = (request: Request) =>
      new Promise<Response>((_, reject) => {
        calls++;
        request.signal.addEventListener('abort', () => reject(request.signal.reason));
      });
    const client = createContactsClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      timeoutMs: 20,
      retry: { retries: 2, minDelayMs: 1 },
      fetch: hang,
    });
    await expect(client.checkContacts(['1'])).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(calls).toBe(3);
  });

  it("stops at the caller's AbortSignal, even while backing off", async () => {
    let calls = 0;
    const controller = new AbortController();
    const client = createContactsClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      retry: { minDelayMs: 60_000, maxDelayMs: 60_000, budgetMs: 600_000 },
      fetch: async () => {
        calls++;
        setTimeout(() => controller.abort(new Error('stopped by the caller')), 10);
        return new Response('', { status: 503 });
      },
    });
    await expect(client.checkContacts(['1'], { signal: controller.signal })).rejects.toThrow('stopped by the caller');
    expect(calls).toBe(1);
  });
});

describe('retries against the reference server with its rate limits on', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // One check per second, a bucket of 2: bursts are refused.
    server = await startReferenceServer({
      from: import.meta.url,
      env: { WA_RATE_LIMIT: '1/2', WA_ADMIN_PASSWORD: admin.password },
      timeoutMs: 45_000,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('without retry, a burst is refused with 429/1015; with retry, every check of the burst is answered', async () => {
    const statuses: number[] = [];
    const recording = async (request: Request) => {
      const response = await fetch(request);
      if (new URL(request.url).pathname === '/v1/contacts') statuses.push(response.status);
      return response;
    };
    const plain = createContactsClient({ baseUrl: server.url, credentials: admin, fetch: recording });
    await plain.login();
    // Eight at once on a bucket of 2 refilled once a second: some are refused however busy the machine.
    const burst = await Promise.allSettled(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => plain.checkContacts([`+1631555100${n}`])),
    );
    expect(burst.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(burst.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 429, code: 1015 } });

    statuses.length = 0;
    // The bucket starts empty and lets one check a second through: the fifth may wait five rounds.
    const patient = createContactsClient({
      baseUrl: server.url,
      credentials: admin,
      fetch: recording,
      retry: { retries: 20 },
    });
    await patient.login();
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => patient.checkContacts([`+1631555100${n}`], { wait: true })),
    );
    expect(answers.map(([result]) => result)).toEqual(
      [1, 2, 3, 4, 5].map((n) => ({ input: `+1631555100${n}`, status: 'valid', wa_id: `1631555100${n}` })),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  }, 60_000);
});
