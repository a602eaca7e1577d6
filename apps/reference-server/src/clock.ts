/**
 * The server's clock: real time plus an offset that the sandbox can only move forward, so the
 * 24-hour engagement window, the 7-day cache and token expiry are testable without sleeping.
 */
export class Clock {
  /** Per instance on the database (this one included), the largest offset it confirmed it runs on (see watchClockOffset). */
  #confirmed = new Map<string, number>();
  #waiting = new Set<() => void>();

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

  /** That instance's clock runs with offsetMs or more. */
  confirmed(instance: string, offsetMs: number): void {
    if (offsetMs <= (this.#confirmed.get(instance) ?? -Infinity)) return;
    this.#confirmed.set(instance, offsetMs);
    for (const check of this.#waiting) check();
  }

  /**
   * Resolves once `instances` instances confirmed offsetMs or more, or after timeoutMs (an
   * instance that hangs): a move is answered once every instance follows it.
   */
  whenConfirmed(offsetMs: number, instances: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiting.delete(check);
        resolve();
      };
      const check = () => {
        let count = 0;
        for (const offset of this.#confirmed.values()) if (offset >= offsetMs) count++;
        if (count >= instances) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiting.add(check);
      check();
    });
  }
}

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
