/** Numbers one caller asks of the network: a request's slice, or a chunk of background checks. */
export interface Asked {
  waIds: readonly string[];
  /** Whether a number is a real one: the answer for a number without an account row. */
  real: (waId: string) => boolean;
}

/** One statement's worth of look-ups: every number once, and how many the callers asked in all. */
export interface Batch {
  /** Each number asked, with whether it is a real one (the first caller's word: it follows from the number). */
  real: Map<string, boolean>;
  /** The numbers each caller asked, summed (a number asked by two callers counts twice): the misuse rule's count. */
  asked: number;
}

/** What storing a batch gave: the numbers on WhatsApp and when they were checked. */
export interface LookedUp {
  onWhatsApp: ReadonlySet<string>;
  checkedAt: number;
  /** The misuse rule's read after the batch's count committed, one for every caller to wait for (none when it is off). */
  settled?: Promise<void> | undefined;
}

interface Waiting extends Batch {
  settle: { resolve: (done: LookedUp) => void; reject: (error: unknown) => void };
  done: Promise<LookedUp>;
}

/**
 * Look-ups stored one batch at a time per process, the way a database commits a group: those
 * asked in one turn of the event loop, or while a batch is being stored, go together as the next
 * batch, each number once, up to `maxNumbers` distinct numbers per batch. Every caller's numbers
 * are asked after it asked (a batch starts only once its callers have joined it), so a
 * `force_check` never gets an answer older than its request. Ten simultaneous checks of the same
 * numbers are one statement's writes instead of ten, each of which held the rows' locks while the
 * others waited for them.
 */
export class LookUpBatches {
  private readonly waiting: Waiting[] = [];
  private storing = false;

  constructor(
    private readonly store: (batch: Batch) => Promise<LookedUp>,
    private readonly maxNumbers: number,
  ) {}

  lookUp({ waIds, real }: Asked): Promise<LookedUp> {
    const asked = new Set(waIds);
    let batch = this.waiting.at(-1);
    if (!batch || (batch.real.size > 0 && batch.real.size + countNew(batch.real, asked) > this.maxNumbers)) {
      batch = waitingBatch();
      this.waiting.push(batch);
    }
    for (const waId of asked) if (!batch.real.has(waId)) batch.real.set(waId, real(waId));
    batch.asked += asked.size;
    if (!this.storing) {
      this.storing = true;
      // At the loop's next turn, with every caller of this one: on PGlite a statement started now would run before the other requests already received are read.
      setImmediate(() => void this.storeAll());
    }
    return batch.done;
  }

  private async storeAll(): Promise<void> {
    try {
      for (let batch = this.waiting.shift(); batch; batch = this.waiting.shift()) {
        try {
          batch.settle.resolve(await this.store(batch));
        } catch (error) {
          batch.settle.reject(error);
        }
        // A turn before the next, for the same reason: on PGlite nothing else ran during the statement.
        if (this.waiting.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.storing = false;
    }
  }
}

function waitingBatch(): Waiting {
  let settle!: Waiting['settle'];
  const done = new Promise<LookedUp>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { real: new Map(), asked: 0, settle, done };
}

function countNew(held: ReadonlyMap<string, boolean>, asked: ReadonlySet<string>): number {
  let n = 0;
  for (const waId of asked) if (!held.has(waId)) n++;
  return n;
}
