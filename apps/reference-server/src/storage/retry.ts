import { setTimeout as sleep } from 'node:timers/promises';

/** serialization_failure and deadlock_detected: PostgreSQL rolled back, the same work may simply run again. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);
/** Retries after the first attempt; the back-offs add up to 0.25 s at most. */
export const MAX_RETRIES = 5;
const BASE_DELAY_MS = 5;

export interface RetryEvent {
  /** The SQLSTATE that aborted the attempt. */
  code: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  error: Error;
}

export type OnRetry = (event: RetryEvent) => void;

export function retryableSqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code) ? code : undefined;
}

/** Runs `attempt` again (up to MAX_RETRIES times) while it fails with 40001 or 40P01. */
export async function withRetries<R>(attempt: () => Promise<R>, onRetry?: OnRetry): Promise<R> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const code = retryableSqlState(error);
      if (code === undefined || n > MAX_RETRIES) throw error;
      // Exponential and jittered (50-150 %), so the transactions that collided do not collide again.
      const delayMs = Math.round(BASE_DELAY_MS * 2 ** (n - 1) * (0.5 + Math.random()));
      onRetry?.({ code, attempt: n, delayMs, error: error as Error });
      await sleep(delayMs);
    }
  }
}
