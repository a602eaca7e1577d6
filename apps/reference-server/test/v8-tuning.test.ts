import { describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '@wa-contacts/test-kit';
import { PGLITE_V8_FLAGS, pgliteV8Flags } from '../src/v8-tuning.js';
import { logRecord, useServerProcesses } from './support/process-server.js';

describe('pgliteV8Flags', () => {
  it('sets both flags when node was given none of them', () => {
    expect(PGLITE_V8_FLAGS).toEqual(['--liftoff-only', '--heap-growing-percent=50']);
    expect(pgliteV8Flags([])).toEqual(['--liftoff-only', '--heap-growing-percent=50']);
    expect(pgliteV8Flags(['--enable-source-maps', '', '--max-old-space-size=512'])).toEqual(PGLITE_V8_FLAGS);
  });

  it('leaves a flag given on the command line, either way and in either spelling, to the user', () => {
    expect(pgliteV8Flags(['--no-liftoff-only'])).toEqual(['--heap-growing-percent=50']);
    expect(pgliteV8Flags(['--liftoff_only'])).toEqual(['--heap-growing-percent=50']);
    expect(pgliteV8Flags(['--heap-growing-percent=100'])).toEqual(['--liftoff-only']);
    expect(pgliteV8Flags(['--heap_growing_percent=0', '--no-liftoff-only'])).toEqual([]);
  });

  it('does not take a value or a script name for a flag', () => {
    expect(pgliteV8Flags(['liftoff-only', 'dist/main.js'])).toEqual(PGLITE_V8_FLAGS);
  });
});

/** The flags main.js reported setting, from its debug log line. */
const reportedFlags = (server: RunningServer) => logRecord(server, 'V8 flags for PGlite')?.v8Flags;

describe('node dist/main.js on PGlite', () => {
  const start = useServerProcesses();

  it('sets the V8 flags before it listens', async () => {
    const started = await start({ LOG_LEVEL: 'debug' });
    // pino's line may reach the pipe after the banner the start waited for.
    await vi.waitFor(() => expect(reportedFlags(started)).toEqual(['--liftoff-only', '--heap-growing-percent=50']));
  });

  it('keeps a flag given to node, and sets only the other', async () => {
    const started = await start({ LOG_LEVEL: 'debug' }, ['--no-liftoff-only']);
    await vi.waitFor(() => expect(reportedFlags(started)).toEqual(['--heap-growing-percent=50']));
  });
});
