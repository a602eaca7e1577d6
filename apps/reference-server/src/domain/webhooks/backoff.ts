/**
 * Meta's linear back-off: after the nth failure in a row a callback waits n steps, at most
 * the cap (then it is retried at the cap's interval, without end).
 */
export function backoffDelayMs(failures: number, stepMs: number, maxMs: number): number {
  return Math.min(failures * stepMs, maxMs);
}
