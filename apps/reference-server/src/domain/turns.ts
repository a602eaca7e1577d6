/**
 * Turns of the event loop for bulk work, one per loop iteration, first come first served.
 * A slice of a large check waits for its turn, so however many large checks run at once, an
 * iteration runs one slice plus I/O: a new connection (Node accepts one per iteration), a
 * cached check or a blocklist read waits for one slice, not for one slice of every large check.
 */
export class Turns {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves on a later iteration of the event loop, after the turns asked for before. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()!();
      // Scheduled from the check phase: the next turn comes after the next poll for I/O.
      this.schedule();
    });
  }
}
