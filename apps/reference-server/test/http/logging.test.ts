import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectError } from '../support/errors.js';
import { START_TIMEOUT, startServer, type Harness } from '../support/harness.js';
import { logRecord, useServerProcesses } from '../support/process-server.js';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  err?: { message: string; stack: string };
  [key: string]: unknown;
}

/** A pino logger at `level` whose lines land, parsed, in `lines`. */
function captured(level: string): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

/** Lines logged when the response finishes may come after inject has answered: a turn of the event loop lets them. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('logging', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it(
    'at info: no line per request, and an unexpected failure is logged with its error, through the server logger',
    async () => {
      const { logger, lines } = captured('info');
      // A check without sends would earn the misuse rule's one warning line (test/http/misuse.test.ts).
      h = await startServer({ env: { LOG_LEVEL: 'info', WA_MISUSE_POLICY: 'off' }, logger });
      expect(h.server.log).toBe(logger);
      await settle();
      const before = lines.length;

      expect(
        (await h.api.call('checkContacts', { body: { blocking: 'wait', contacts: ['+16315551000'] } })).status,
      ).toBe(200);
      await settle();
      expect(lines.slice(before)).toEqual([]);

      await h.api.call('injectFault', { body: { operation_id: 'getBlocklist' } });
      const failed = await h.api.call('getBlocklist');
      expectError(failed, 500, 1014, 'Internal error. Please try again later.');
      expect(failed.text).not.toContain('at ');
      await settle();
      const logged = lines.slice(before);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        level: 50,
        msg: 'unexpected failure',
        err: { message: 'Internal error. Please try again later.' },
      });
      expect(logged[0]!.err!.stack).toContain('Faults.strike');
    },
    START_TIMEOUT,
  );

  it(
    'at debug: each request is logged as it comes in and when it completes, with its request id',
    async () => {
      const { logger, lines } = captured('debug');
      h = await startServer({ env: { LOG_LEVEL: 'debug' }, logger });
      await settle();
      const before = lines.length;

      expect((await h.api.call('getApplicationSettings')).status).toBe(200);
      await settle();
      const logged = lines.slice(before);
      expect(logged.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
      expect(logged[0]).toMatchObject({ level: 30, req: { method: 'GET', url: '/v1/settings/application' } });
      expect(logged[1]).toMatchObject({ level: 30, res: { statusCode: 200 } });
      expect(logged[0]!.reqId).toBeTypeOf('string');
      expect(logged[1]!.reqId).toBe(logged[0]!.reqId);
    },
    START_TIMEOUT,
  );
});

describe('node dist/main.js, logging', () => {
  const start = useServerProcesses();

  it(
    'logs where it listens at info (Fastify, given no logger, no longer does)',
    async () => {
      const started = await start({ LOG_LEVEL: 'info' });
      await vi.waitFor(() => expect(logRecord(started, 'listening')).toMatchObject({ level: 30, url: started.url }));
    },
    START_TIMEOUT,
  );
});
