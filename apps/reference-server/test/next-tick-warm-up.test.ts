import { describe, expect, it, vi } from 'vitest';
import { WARM_UP_TICKS, warmUpNextTick } from '../src/next-tick-warm-up.js';
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
});

describe('node dist/main.js', () => {
  const start = useServerProcesses();

  it('warms process.nextTick up at start-up', async () => {
    const started = await start({ LOG_LEVEL: 'debug' });
    // pino's line may reach the pipe after the banner the start waited for.
    await vi.waitFor(() => expect(logRecord(started, 'process.nextTick warmed up')).toMatchObject({ ticks: WARM_UP_TICKS }));
  });
});
