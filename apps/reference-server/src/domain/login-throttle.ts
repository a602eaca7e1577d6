import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';

/** Each username and each address may fail 10 logins in a row, then one more per 6 seconds. */
export const LOGIN_THROTTLE = { burst: 10, refillMs: 6000, maxKeys: 10_000 } as const;

export interface LoginThrottleOptions {
  /** Failures allowed at once (the bucket's size). */
  burst: number;
  /** One allowance comes back per this many milliseconds. */
  refillMs: number;
  /** Buckets kept; the least recently used one beyond is forgotten (as if full). */
  maxKeys: number;
  /** Milliseconds, monotonic; the sandbox clock is not used, so moving it cannot lift a throttle. */
  now?: () => number;
}

interface Bucket {
  allowances: number;
  at: number;
}

/** A token bucket of failed logins per key (`user:…`, `ip:…`), taken before the password is checked. */
export class LoginThrottle {
  private readonly buckets: LRUCache<string, Bucket>;
  private readonly now: () => number;

  constructor(private readonly options: LoginThrottleOptions) {
    this.buckets = new LRUCache({ max: options.maxKeys });
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes one allowance from every key and answers 0, or, when a key has none left, takes
   * nothing and answers how many milliseconds until it has one.
   */
  take(keys: readonly string[]): number {
    const now = this.now();
    const levels = keys.map((key) => this.level(key, now));
    const wait = Math.max(0, ...levels.map((level) => Math.ceil((1 - level) * this.options.refillMs)));
    if (wait > 0) return wait;
    for (const [i, key] of keys.entries()) this.buckets.set(key, { allowances: levels[i]! - 1, at: now });
    return 0;
  }

  /** Gives back what take() took: the login succeeded. */
  refund(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys)
      this.buckets.set(key, { allowances: Math.min(this.options.burst, this.level(key, now) + 1), at: now });
  }

  private level(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.options.burst;
    return Math.min(this.options.burst, bucket.allowances + (now - bucket.at) / this.options.refillMs);
  }
}
