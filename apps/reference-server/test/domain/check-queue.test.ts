import { describe, expect, it } from 'vitest';
import { CheckQueue } from '../../src/domain/check-queue.js';

/** A queue whose work records each chunk and, while `gate` is set, waits for it. */
function recordingQueue(options: { max?: number; chunkSize?: number; delayMs?: number } = {}) {
  const chunks: string[][] = [];
  const errors: unknown[] = [];
  let release: (() => void) | undefined;
  const state = { gate: undefined as Promise<void> | undefined, fail: new Set<string>() };
  const queue = new CheckQueue({
    max: options.max ?? 10,
    chunkSize: options.chunkSize ?? 3,
    delayMs: options.delayMs ?? 0,
    work: async (waIds) => {
      chunks.push(waIds);
      if (state.gate) await state.gate;
      if (waIds.some((w) => state.fail.has(w))) throw new Error(`failed ${waIds.join(',')}`);
    },
    onError: (error) => errors.push(error),
  });
  const hold = () => {
    state.gate = new Promise<void>((resolve) => (release = resolve));
  };
  const open = () => {
    state.gate = undefined;
    release?.();
  };
  return { queue, chunks, errors, state, hold, open };
}

const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));

describe('CheckQueue', () => {
  it('works every number once, oldest first, in chunks of chunkSize across batches', async () => {
    const { queue, chunks } = recordingQueue({ chunkSize: 3 });
    queue.add(['1', '2']);
    queue.add(['3', '4', '5', '6']);
    queue.add(['7']);
    await queue.idle();
    // The worker starts at the first add, with what is there; later chunks span batches.
    expect(chunks).toEqual([
      ['1', '2'],
      ['3', '4', '5'],
      ['6', '7'],
    ]);
    expect(queue.size).toBe(0);
  });

  it('reserves up to the cap and refuses beyond it, holding nothing for a refusal', () => {
    const { queue, hold } = recordingQueue({ max: 10 });
    hold();
    expect(queue.reserve(6)).toBe(true);
    expect(queue.reserve(5)).toBe(false);
    expect(queue.reserve(4)).toBe(true);
    expect(queue.reserve(1)).toBe(false);
    queue.release(4);
    expect(queue.reserve(4)).toBe(true);
  });

  it('counts added numbers against the cap until they are taken by the worker', async () => {
    const { queue, chunks, hold, open } = recordingQueue({ max: 10, chunkSize: 3 });
    hold();
    expect(queue.reserve(8)).toBe(true);
    queue.add(numbers(100, 8), { reserved: 8 });
    // The worker took its first chunk (3) and waits on it: 5 are waiting.
    await Promise.resolve();
    expect(chunks).toEqual([['100', '101', '102']]);
    expect(queue.size).toBe(5);
    expect(queue.reserve(6)).toBe(false);
    expect(queue.reserve(5)).toBe(true);
    open();
    await queue.idle();
    expect(chunks.flat()).toEqual(numbers(100, 8));
  });

  it('queues a number already waiting once, and one being worked again after its chunk', async () => {
    const { queue, chunks, hold, open } = recordingQueue({ chunkSize: 2 });
    hold();
    queue.add(['1', '2', '3']);
    await Promise.resolve();
    expect(['1', '2', '3', '4'].map((w) => queue.has(w))).toEqual([true, true, true, false]);
    // 3 is waiting: once. 1 is being worked: its adder stored a pending row the chunk's look-up may have missed.
    queue.add(['1', '3', '4']);
    expect(queue.size).toBe(3);
    expect(['1', '2', '3', '4', '5'].map((w) => queue.has(w))).toEqual([true, true, true, true, false]);
    open();
    await queue.idle();
    expect(chunks).toEqual([['1', '2'], ['3', '1'], ['4']]);
    expect(queue.has('1')).toBe(false);
    // Once worked, it can be queued again.
    queue.add(['1']);
    await queue.idle();
    expect(chunks.at(-1)).toEqual(['1']);
  });

  it('goes on after a failed chunk, reporting it', async () => {
    const { queue, chunks, errors, state } = recordingQueue({ chunkSize: 2 });
    state.fail.add('2');
    queue.add(['1', '2', '3', '4']);
    await queue.idle();
    expect(chunks).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['failed 1,2']);
  });

  it('waits delayMs before working a number, not for one added immediately', async () => {
    const { queue, chunks } = recordingQueue({ delayMs: 300 });
    queue.add(['1'], { immediately: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(chunks).toEqual([['1']]);
    queue.add(['2']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(chunks).toEqual([['1']]);
    expect(queue.size).toBe(1);
    await queue.idle();
    expect(chunks).toEqual([['1'], ['2']]);
  });

  it('resolves whenBelow once few enough numbers are waiting', async () => {
    const { queue, hold, open } = recordingQueue({ chunkSize: 2 });
    hold();
    queue.add(numbers(1, 6));
    await Promise.resolve();
    let resolved = false;
    const below = queue.whenBelow(2).then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(false);
    open();
    await below;
    expect(queue.size).toBeLessThanOrEqual(2);
    await queue.idle();
  });

  it('estimates Retry-After from the excess over the cap at the pace measured', async () => {
    const { queue } = recordingQueue({ max: 10 });
    expect(queue.retryAfterMs(5)).toBe(0);
    expect(queue.reserve(10)).toBe(true);
    expect(queue.retryAfterMs(5)).toBeGreaterThan(0);
  });
});
