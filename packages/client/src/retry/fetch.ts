import {
  backoffMs,
  isRepeatable,
  isRetryableStatus,
  RETRY_DEFAULTS,
  retryAfterMs,
  type RetryOptions,
} from './policy.js';

type Fetch = (request: Request) => Promise<Response>;

export interface ResilienceOptions {
  retry?: boolean | RetryOptions | undefined;
  timeoutMs?: number | undefined;
}

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A fetch with a timeout per attempt and, when `retry` is set, further attempts of repeatable
 * requests after a 429, a 503, a network error or a timeout. The request's own signal (the
 * caller's AbortSignal) stops everything and is never retried.
 */
export function resilientFetch(fetchOnce: Fetch, { retry, timeoutMs }: ResilienceOptions): Fetch {
  const policy = retry ? { ...RETRY_DEFAULTS, ...(retry === true ? {} : retry) } : undefined;

  const attempt = (request: Request): Promise<Response> => {
    if (timeoutMs === undefined) return fetchOnce(request);
    const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]);
    return fetchOnce(new Request(request, { signal }));
  };

  if (!policy) return attempt;

  return async (request) => {
    if (!isRepeatable(request)) return attempt(request);
    const started = Date.now();
    const callerSignal = request.signal;
    for (let tries = 0; ; tries++) {
      // fetch() consumes the body: each attempt sends a copy, the original stays unread.
      const copy = request.clone();
      let waitMs: number;
      try {
        const response = await attempt(copy);
        if (!isRetryableStatus(response.status) || tries >= policy.retries) return response;
        waitMs = backoffMs(tries, policy, retryAfterMs(response.headers.get('Retry-After')));
        if (Date.now() - started + waitMs > policy.budgetMs) return response;
        // The refused answer is dropped unread: cancel it so its connection is freed.
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        if (callerSignal.aborted || tries >= policy.retries) throw error;
        waitMs = backoffMs(tries, policy);
        if (Date.now() - started + waitMs > policy.budgetMs) throw error;
      }
      await sleep(waitMs, callerSignal);
    }
  };
}
