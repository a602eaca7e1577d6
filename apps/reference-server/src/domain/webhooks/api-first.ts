/**
 * Counts this process's API requests in flight, so that webhook delivery gives way to them:
 * the deliverer waits for none to be in flight, for a bounded time so that a steady API load
 * cannot starve it.
 */
export class ApiFirst {
  #inFlight = 0;
  #waiters: Array<() => void> = [];

  /** A request came in; call the function returned once it is over (only the first call counts). */
  begin(): () => void {
    this.#inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.#inFlight > 0) return;
      for (const wake of this.#waiters.splice(0)) wake();
    };
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Undefined when no request is in flight; else resolves once none is, or after maxWaitMs. */
  idle(maxWaitMs: number): Promise<void> | undefined {
    if (this.#inFlight === 0) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxWaitMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.push(done);
    });
  }
}
