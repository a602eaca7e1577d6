import { tooManyRequests, type ApiError } from '../errors.js';

/** Settings of every operation's bucket: refill per second, capacity (a burst). */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Takes one request's token: undefined when it may pass, else the 429 to answer. */
export type Limiter = () => ApiError | undefined;

/**
 * A token bucket, not @fastify/rate-limit: that plugin counts fixed windows (a burst at a
 * window's edge passes twice, and there is no burst above the rate), keys per client and runs
 * an async hook per request; this is O(1), synchronous and per operation, as the node limits.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  /** 0 when a token was taken; otherwise how many milliseconds until one is there. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) * this.limit.perSecond) / 1000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return ((1 - this.tokens) * 1000) / this.limit.perSecond;
  }

  /** Full again, as after a long idle time. */
  refill(): void {
    this.tokens = this.limit.burst;
    this.last = this.now();
  }
}

/** Every operation's bucket of one server, so the sandbox can refill them all (DELETE /sandbox/rate-limits). */
export class RateLimits {
  private readonly buckets: TokenBucket[] = [];

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {}

  /** One bucket for `label` (`POST /v1/contacts`), shared by every client of the server. */
  limiter(label: string): Limiter {
    const bucket = new TokenBucket(this.limit, this.now);
    this.buckets.push(bucket);
    return limiterOf(bucket, label);
  }

  refill(): void {
    for (const bucket of this.buckets) bucket.refill();
  }
}

function limiterOf(bucket: TokenBucket, label: string): Limiter {
  return () => {
    const waitMs = bucket.take();
    if (waitMs === 0) return undefined;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return tooManyRequests(
      `Too many requests to ${label}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      waitMs,
    );
  };
}
