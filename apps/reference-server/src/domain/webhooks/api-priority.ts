import { performance } from 'node:perf_hooks';

/** The API counts as in use this long after its last request. */
export const API_ACTIVE_MS = 1_000;
/** Delivery's share of the event loop is decided per slice of this length. */
export const SLICE_MS = 20;
/** Past this busy share of the current slice (the API's work included), delivery steps wait for the next slice. */
export const BUSY_SHARE = 0.4;

export interface ApiPriorityOptions {
  activeMs?: number;
  sliceMs?: number;
  busyShare?: number;
  /** Milliseconds, monotonic. */
  now?: () => number;
  /** Milliseconds the event loop has been busy in all, monotonic. */
  busyMs?: () => number;
}

/**
 * Gives the API priority over webhook delivery on the event loop. While the API is in use
 * (a request within activeMs), a delivery step (a round, a POST) starts only while the loop
 * was busy for less than busyShare of the current slice; the others wait for the next slice,
 * which lets one of them go whatever the load (the floor), then the rest while under the
 * share. With the API idle, every step goes at once.
 */
export class ApiPriority {
  readonly #activeMs: number;
  readonly #sliceMs: number;
  readonly #busyShare: number;
  readonly #now: () => number;
  readonly #busyMs: () => number;
  #lastRequest = Number.NEGATIVE_INFINITY;
  #sliceStart = Number.NEGATIVE_INFINITY;
  #busyAtSliceStart = 0;
  readonly #waiting: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Immediate | undefined;

  constructor(o: ApiPriorityOptions = {}) {
    this.#activeMs = o.activeMs ?? API_ACTIVE_MS;
    this.#sliceMs = o.sliceMs ?? SLICE_MS;
    this.#busyShare = o.busyShare ?? BUSY_SHARE;
    this.#now = o.now ?? (() => performance.now());
    this.#busyMs = o.busyMs ?? (() => performance.eventLoopUtilization().active);
  }

  /** An API request arrived. */
  apiRequest(): void {
    this.#lastRequest = this.#now();
  }

  get active(): boolean {
    return this.#now() - this.#lastRequest < this.#activeMs;
  }

  /** Steps waiting for a later slice. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Before a delivery step: undefined if it may start now, else a promise resolved when it may. */
  turn(): Promise<void> | undefined {
    if (this.#waiting.length === 0 && this.#mayGo()) return undefined;
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#arm();
    });
  }

  /** Lets every waiting step go (the deliverer is closing). */
  close(): void {
    clearTimeout(this.#timer);
    clearImmediate(this.#soon);
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  #mayGo(): boolean {
    if (!this.active) return true;
    const now = this.#now();
    if (now - this.#sliceStart >= this.#sliceMs) {
      this.#sliceStart = now;
      this.#busyAtSliceStart = this.#busyMs();
    }
    return this.#busyMs() - this.#busyAtSliceStart < this.#busyShare * this.#sliceMs;
  }

  /** Wakes at the next slice: its first waiter goes whatever the load (the floor), the rest while under the share. */
  #arm(): void {
    if (this.#timer || this.#soon) return;
    const delay = Math.max(0, this.#sliceStart + this.#sliceMs - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#sliceStart = this.#now();
      this.#busyAtSliceStart = this.#busyMs();
      this.#waiting.shift()?.();
      this.#release();
    }, delay);
  }

  /** One waiter at a time, each after the step let go before it has run its synchronous part. */
  #release(): void {
    if (this.#waiting.length === 0) return;
    this.#soon = setImmediate(() => {
      this.#soon = undefined;
      if (this.#waiting.length === 0) return;
      if (this.#mayGo()) {
        this.#waiting.shift()?.();
        this.#release();
      } else this.#arm();
    });
  }
}
