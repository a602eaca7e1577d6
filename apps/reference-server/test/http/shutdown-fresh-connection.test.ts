import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { START_TIMEOUT } from '../support/harness.js';
import { useServerProcesses } from '../support/process-server.js';

// A browser opens a spare connection to /docs and sends nothing on it: SIGTERM must not wait
// for it (Node's close() would, until its keep-alive timeout of 72 s).
describe('node dist/main.js, stopping', () => {
  const start = useServerProcesses();

  it(
    'exits on SIGTERM while a connection that never sent a request is open',
    async () => {
      const server = await start({ WA_DATA_DIR: 'memory' });
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      server.kill('SIGTERM');
      // Bounded: before the fix it was still running when this gave up.
      const outcome = await Promise.race([
        server.exited.then((exit) => ({ exit })),
        new Promise((resolve) => setTimeout(() => resolve('still running after 20 s'), 20_000)),
      ]);
      expect(outcome).toEqual({ exit: { code: 0, signal: null } });
      await closed;
    },
    START_TIMEOUT + 30_000,
  );
});
