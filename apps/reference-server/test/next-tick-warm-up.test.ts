import { describe, expect, it, vi } from 'vitest';
import { keptTickObjects, WARM_UP_TICKS, warmUpNextTick } from '../src/next-tick-warm-up.js';
import { logRecord, useServerProcesses } from './support/process-server.js';

describe('warmUpNextTick', () => {
  it('queues the ticks through process.nextTick and resolves once every one has run', async () => {
    const nextTick = vi.spyOn(process, 'nextTick');
    try {
      expect(await warmUpNextTick(2_500)).toBe(2_500);
      const perCallback = new Map<unknown, number>();
      for (const [callback] of nextTick.mock.calls) perCallback.set(callback, (perCallback.get(callback) ?? 0) + 1);
      expect(Math.max(...perCallback.values())).toBe(2_500);
    } finally {
      nextTick.mockRestore();
    }
  });

  it('keeps a tick object with and one without arguments, so their maps outlive an idle spell', async () => {
    const before = keptTickObjects().length;
    await warmUpNextTick(10);
    const kept = keptTickObjects().slice(before) as Array<{ callback: unknown; args: unknown }>;
    expect(kept).toHaveLength(2);
    // Tick objects, not the top-level resource: nextTick's callback and arguments, and its two async ids.
    expect(kept.map((t) => t.args)).toEqual([undefined, ['with an argument']]);
    for (const tick of kept) {
      expect(tick.callback).toBeTypeOf('function');
      expect(Object.getOwnPropertySymbols(tick).map((s) => s.description)).toEqual([
        'async_id_symbol',
        'trigger_async_id_symbol',
      ]);
    }
  });
});

describe('node dist/main.js', () => {
  const start = useServerProcesses();

  it('warms process.nextTick up at start-up', async () => {
    const started = await start({ LOG_LEVEL: 'debug' });
    // pino's line may reach the pipe after the banner the start waited for.
    await vi.waitFor(() =>
      expect(logRecord(started, 'process.nextTick warmed up')).toMatchObject({ ticks: WARM_UP_TICKS }),
    );
  });
});
