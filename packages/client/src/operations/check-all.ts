import type { ContactCheckResult } from '../schemas.js';
import type { ContactsOperations } from './contacts.js';

/** The spec's maxItems of a check's `contacts`. */
export const MAX_CHECK_BATCH = 10_000;

export interface CheckAllOptions {
  /** Numbers per request, 1 to 10,000 (default 10,000). */
  batchSize?: number;
  /** Batches in flight at once (default 1); results still come in input order. */
  concurrency?: number;
  /** Wait before asking again about numbers still `processing` (default 1,000 ms). */
  pollIntervalMs?: number;
  /** Bypass the server's 7-day cache on the first ask of each number. */
  forceCheck?: boolean;
  signal?: AbortSignal;
  /** Called after each answer with how many numbers have a final status. */
  onProgress?: (progress: CheckProgress) => void;
}

export interface CheckProgress {
  done: number;
  total: number;
}

export interface CheckedBatch {
  /** Index in `numbers` of the batch's first number. */
  offset: number;
  /** One final result (`valid`, `invalid` or `failed`) per number of the batch, in order. */
  results: ContactCheckResult[];
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Checks any number of numbers: in batches of at most the server's maximum, with `no_wait`,
 * asking again about those still `processing` until every one is final. Yields each batch,
 * in input order, once all of its numbers are final.
 */
export async function* checkBatches(
  client: Pick<ContactsOperations, 'checkContacts'>,
  numbers: readonly string[],
  options: CheckAllOptions = {},
): AsyncGenerator<CheckedBatch, void, undefined> {
  const { batchSize = MAX_CHECK_BATCH, concurrency = 1, pollIntervalMs = 1_000, forceCheck, signal } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_CHECK_BATCH)
    throw new RangeError(`batchSize must be an integer from 1 to ${MAX_CHECK_BATCH}, got ${batchSize}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  const total = numbers.length;
  let done = 0;

  const settle = async (offset: number): Promise<CheckedBatch> => {
    const batch = numbers.slice(offset, offset + batchSize);
    const results = await client.checkContacts(batch, { wait: false, ...(forceCheck ? { forceCheck } : {}), signal });
    let pending = results.flatMap((r, i) => (r.status === 'processing' ? [i] : []));
    done += batch.length - pending.length;
    options.onProgress?.({ done, total });
    while (pending.length > 0) {
      await wait(pollIntervalMs, signal);
      const again = await client.checkContacts(
        pending.map((i) => batch[i]!),
        { wait: false, signal },
      );
      const still: number[] = [];
      again.forEach((result, k) => {
        const index = pending[k]!;
        results[index] = result;
        if (result.status === 'processing') still.push(index);
      });
      done += pending.length - still.length;
      pending = still;
      options.onProgress?.({ done, total });
    }
    return { offset, results };
  };

  const inFlight: Promise<CheckedBatch>[] = [];
  let next = 0;
  try {
    while (next < total || inFlight.length > 0) {
      while (next < total && inFlight.length < concurrency) {
        const running = settle(next);
        // Handled when its turn comes; this keeps a failure meanwhile from being "unhandled".
        running.catch(() => undefined);
        inFlight.push(running);
        next += batchSize;
      }
      yield await inFlight.shift()!;
    }
  } finally {
    // Batches still running end on their own; their results are dropped.
    inFlight.length = 0;
  }
}

/** Every number's final result, in input order (see checkBatches). */
export async function checkAll(
  client: Pick<ContactsOperations, 'checkContacts'>,
  numbers: readonly string[],
  options?: CheckAllOptions,
): Promise<ContactCheckResult[]> {
  const all: ContactCheckResult[] = [];
  for await (const { results } of checkBatches(client, numbers, options)) all.push(...results);
  return all;
}
