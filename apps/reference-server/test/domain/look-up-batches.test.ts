import { describe, expect, it, vi } from 'vitest';
import { type Batch, type LookedUp, LookUpBatches } from '../../src/domain/look-up-batches.js';

/** A store that records each batch and finishes it only when told to. */
function heldStore() {
  const batches: Array<{ numbers: Record<string, boolean>; asked: number }> = [];
  const finish: Array<(error?: Error) => void> = [];
  const store = (batch: Batch) =>
    new Promise<LookedUp>((resolve, reject) => {
      batches.push({ numbers: Object.fromEntries(batch.real), asked: batch.asked });
      const at = batches.length;
      finish.push((error) =>
        error
          ? reject(error)
          : resolve({
              onWhatsApp: new Set([...batch.real].filter(([, r]) => r).map(([w]) => w)),
              checkedAt: at,
            }),
      );
    });
  return { batches, store, finish: (i: number, error?: Error) => finish[i]!(error) };
}

const real = () => true;
const onlyEven = (waId: string) => Number(waId) % 2 === 0;
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('look-ups stored one batch at a time', () => {
  it('stores those asked in one turn together, and those asked while it is stored as the next, each number once', async () => {
    const { batches, store, finish } = heldStore();
    const lookUps = new LookUpBatches(store, 1_000);
    const first = [lookUps.lookUp({ waIds: ['1', '2'], real }), lookUps.lookUp({ waIds: ['1'], real })];
    expect(batches).toEqual([]);
    await settled();
    expect(batches).toEqual([{ numbers: { 1: true, 2: true }, asked: 3 }]);

    const second = lookUps.lookUp({ waIds: ['2', '3'], real: onlyEven });
    await settled();
    const third = lookUps.lookUp({ waIds: ['3', '4', '4'], real: onlyEven });
    await settled();
    expect(batches).toHaveLength(1);

    finish(0);
    for (const done of first) expect(await done).toEqual({ onWhatsApp: new Set(['1', '2']), checkedAt: 1 });
    await vi.waitFor(() => expect(batches).toHaveLength(2));
    // Every caller's numbers counted (3 asked by two callers; 4 twice by one, counted once), each stored once.
    expect(batches[1]).toEqual({ numbers: { 2: true, 3: false, 4: true }, asked: 4 });
    finish(1);
    const both = { onWhatsApp: new Set(['2', '4']), checkedAt: 2 };
    expect(await second).toEqual(both);
    expect(await third).toEqual(both);
  });

  it('starts another batch past the most numbers one may hold', async () => {
    const { batches, store, finish } = heldStore();
    const lookUps = new LookUpBatches(store, 3);
    const asked = [
      lookUps.lookUp({ waIds: ['1'], real }),
      lookUps.lookUp({ waIds: ['2', '3'], real }),
      lookUps.lookUp({ waIds: ['3', '4'], real }),
      lookUps.lookUp({ waIds: ['2', '3', '4'], real }),
      lookUps.lookUp({ waIds: ['5', '6', '7', '8'], real }),
    ];
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(batches.length).toBeGreaterThan(i));
      finish(i);
    }
    await Promise.all(asked);
    expect(batches).toEqual([
      { numbers: { 1: true, 2: true, 3: true }, asked: 3 },
      { numbers: { 2: true, 3: true, 4: true }, asked: 5 },
      // Alone, a caller asking more than a batch holds still goes in one.
      { numbers: { 5: true, 6: true, 7: true, 8: true }, asked: 4 },
    ]);
  });

  it('fails every caller of a failed batch, and stores the next batch all the same', async () => {
    const { batches, store, finish } = heldStore();
    const lookUps = new LookUpBatches(store, 1_000);
    const first = lookUps.lookUp({ waIds: ['1'], real });
    await settled();
    const failing = [lookUps.lookUp({ waIds: ['2'], real }), lookUps.lookUp({ waIds: ['3'], real })];
    finish(0);
    await first;
    await vi.waitFor(() => expect(batches).toHaveLength(2));
    const later = lookUps.lookUp({ waIds: ['4'], real });
    finish(1, new Error('connection lost'));
    for (const f of failing) await expect(f).rejects.toThrow('connection lost');
    await vi.waitFor(() => expect(batches).toHaveLength(3));
    finish(2);
    expect(await later).toMatchObject({ onWhatsApp: new Set(['4']) });
  });
});
