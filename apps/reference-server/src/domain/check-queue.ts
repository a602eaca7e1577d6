import { setImmediate as nextMacrotask } from 'node:timers/promises';

export interface CheckQueueOptions {
  /** Numbers waiting, at most: `reserve` refuses beyond it. */
  max: number;
  /** Numbers per call of `work` (one transaction each). */
  chunkSize: number;
  /** How long a number added by `add` waits before it is worked (WA_CHECK_DELAY_MS). */
  delayMs: number;
  /** Checks one chunk; a rejection is passed to onError and the queue goes on. */
  work(waIds: string[]): Promise<void>;
  onError(error: unknown): void;
  /** Awaited between chunks, so other work runs in between (default: one macrotask). */
  pause?: () => Promise<void>;
}

interface Batch {
  waIds: string[];
  readyAt: number;
}

/** A guess of the work's pace until a chunk has been measured: 20 µs per number. */
const DEFAULT_MS_PER_NUMBER = 0.02;

/**
 * The background checks' queue: bounded, first in first out, worked by one worker in chunks.
 * One chunk at a time (and a macrotask between chunks) lets every other request's queries
 * interleave, which matters most on PGlite, where all queries share one connection.
 */
export class CheckQueue {
  private readonly batches: Batch[] = [];
  /** How many numbers of batches[0] have been taken already. */
  private taken = 0;
  private waiting = 0;
  private reserved = 0;
  /** Waiting: a number waits once. */
  private readonly waitingIds = new Set<string>();
  /** The chunk being worked. */
  private working = new Set<string>();
  private worker: Promise<void> = Promise.resolve();
  private running = false;
  private msPerNumber = DEFAULT_MS_PER_NUMBER;
  private readonly drained: Array<{ below: number; resolve: () => void }> = [];

  constructor(private readonly options: CheckQueueOptions) {}

  /** Numbers waiting, not counting the chunk being worked. */
  get size(): number {
    return this.waiting;
  }

  /** Whether waId is waiting or being worked. */
  has(waId: string): boolean {
    return this.waitingIds.has(waId) || this.working.has(waId);
  }

  /** Holds room for count numbers until add or release; false, holding nothing, when they would pass the cap. */
  reserve(count: number): boolean {
    if (this.waiting + this.reserved + count > this.options.max) return false;
    this.reserved += count;
    return true;
  }

  release(count: number): void {
    this.reserved = Math.max(0, this.reserved - count);
  }

  /** How long until room for count numbers is likely, at the pace measured so far. */
  retryAfterMs(count: number): number {
    const excess = this.waiting + this.reserved + count - this.options.max;
    return Math.max(0, excess) * this.msPerNumber;
  }

  /**
   * Queues the numbers not waiting yet, after the delay (none for `immediately`), releasing
   * `reserved`. Not bounded by the cap: callers reserve first, or (the backlog) wait for room.
   * A number being worked is queued again: its caller stored a pending row after it was
   * checked (has() said no before that write), which the chunk's look-up may have missed.
   */
  add(
    waIds: readonly string[],
    { reserved = 0, immediately = false }: { reserved?: number; immediately?: boolean } = {},
  ): void {
    this.release(reserved);
    const fresh = waIds.filter((waId) => !this.waitingIds.has(waId));
    if (fresh.length === 0) return;
    for (const waId of fresh) this.waitingIds.add(waId);
    this.batches.push({ waIds: fresh, readyAt: immediately ? 0 : performance.now() + this.options.delayMs });
    this.waiting += fresh.length;
    if (!this.running) {
      this.running = true;
      this.worker = this.run();
    }
  }

  /** Resolves once at most `below` numbers are waiting (the backlog feeds itself this way). */
  whenBelow(below: number): Promise<void> {
    if (this.waiting <= below) return Promise.resolve();
    return new Promise((resolve) => this.drained.push({ below, resolve }));
  }

  /** Resolves when nothing is waiting nor being worked. */
  async idle(): Promise<void> {
    while (this.running) await this.worker;
  }

  /** Nothing in the loop throws: a chunk's failure goes to onError. */
  private async run(): Promise<void> {
    while (this.batches.length > 0) {
      const wait = this.batches[0]!.readyAt - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const chunk = this.take();
      if (chunk.length === 0) continue;
      this.working = new Set(chunk);
      const started = performance.now();
      try {
        await this.options.work(chunk);
        this.msPerNumber = (performance.now() - started) / chunk.length;
      } catch (error) {
        this.options.onError(error);
      }
      this.working = new Set();
      this.notifyDrained();
      // Lets the requests that arrived during the chunk run before the next one.
      await (this.options.pause ?? nextMacrotask)();
    }
    // In the same tick as the last look at the batches: any later add starts a new worker.
    this.running = false;
    this.notifyDrained();
  }

  /** Up to chunkSize numbers from the ready batches, oldest first. */
  private take(): string[] {
    const chunk: string[] = [];
    const now = performance.now();
    while (chunk.length < this.options.chunkSize && this.batches.length > 0 && this.batches[0]!.readyAt <= now) {
      const batch = this.batches[0]!;
      const end = Math.min(batch.waIds.length, this.taken + this.options.chunkSize - chunk.length);
      for (let i = this.taken; i < end; i++) chunk.push(batch.waIds[i]!);
      this.taken = end;
      if (end === batch.waIds.length) {
        this.batches.shift();
        this.taken = 0;
      }
    }
    this.waiting -= chunk.length;
    for (const waId of chunk) this.waitingIds.delete(waId);
    return chunk;
  }

  private notifyDrained(): void {
    for (let i = this.drained.length - 1; i >= 0; i--) {
      const waiter = this.drained[i]!;
      if (this.waiting <= waiter.below) {
        this.drained.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
