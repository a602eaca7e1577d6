/** Opt-in retries of requests that are safe to repeat, after a 429, a 503 or a network error. */
export interface RetryOptions {
  /** Further attempts after the first (default 5). */
  retries?: number;
  /** The first back-off, doubled at each attempt (default 250 ms). */
  minDelayMs?: number;
  /** The longest back-off between two attempts (default 10 s); a longer `Retry-After` is still honoured. */
  maxDelayMs?: number;
  /** Time all attempts of one request may take, waits included (default 60 s): a wait past it is not started. */
  budgetMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const RETRY_DEFAULTS: RetryPolicy = { retries: 5, minDelayMs: 250, maxDelayMs: 10_000, budgetMs: 60_000 };

// A contacts check, reads and unblock change nothing when repeated; a report, a block or a login may.
const REPEATABLE_POST = /\/v1\/contacts(?:\/[^/]+\/unblock)?\/?$/;

/** Whether a request may be sent again without changing the outcome. */
export function isRepeatable(request: Request): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  return request.method === 'POST' && REPEATABLE_POST.test(new URL(request.url).pathname);
}

/** Whether an answer is worth another attempt: the node's limits (429) or a passing unavailability (503). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** `Retry-After` in milliseconds: whole seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential back-off with full jitter, capped; the server's `Retry-After` is a floor. */
export function backoffMs(attempt: number, policy: RetryPolicy, serverWaitMs?: number, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  const jittered = Math.round(exponential * random());
  // Jitter on top of Retry-After spreads clients that were refused together.
  return serverWaitMs === undefined ? jittered : serverWaitMs + Math.round(policy.minDelayMs * random());
}
