/**
 * The server's clock: real time plus an offset that the sandbox can only move forward, so the
 * 24-hour engagement window, the 7-day cache and token expiry are testable without sleeping.
 */
export class Clock {
  constructor(private offsetMs = 0) {}

  now(): number {
    return Date.now() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** The sandbox only moves the clock forward, and the answers and notifications of simultaneous moves arrive in any order: keep the largest. */
  advanceTo(offsetMs: number): void {
    if (offsetMs > this.offsetMs) this.offsetMs = offsetMs;
  }
}

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
