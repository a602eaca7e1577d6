import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanEnv, retryOnAddressInUse, spawnChild, startServer, waitUntil, type RunningServer } from '../src/index.js';
import { fixture, isRunning } from './helpers.js';

const LISTENING = /fixture listening on (http:\/\/\S+)/;
const servers: RunningServer[] = [];
const blockers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop(1000)));
  for (const blocker of blockers.splice(0)) blocker.close();
});

function listen(port: number | string = 0): Promise<RunningServer> {
  return startServer({
    name: 'listen fixture',
    command: process.execPath,
    args: [fixture('listen.mjs')],
    env: cleanEnv({ PORT: String(port) }),
    ready: LISTENING,
    timeoutMs: 30_000,
  }).then((server) => {
    servers.push(server);
    return server;
  });
}

describe('startServer', () => {
  it('reads the URL of a server started on PORT=0 from its output', async () => {
    const server = await listen(0);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
    expect(await (await fetch(server.url)).text()).toBe('fixture');
    expect(server.pid).toBeGreaterThan(0);
  });

  it('rejects with the output of a child that exits before it is ready', async () => {
    const started = startServer({
      name: 'early exit',
      command: process.execPath,
      args: [fixture('early-exit.mjs')],
      ready: LISTENING,
    });
    await expect(started).rejects.toThrow(
      /early exit exited \(code 2\) before output matching .*\nstarting\nConfiguration error: PORT must be a number/,
    );
  });

  it('rejects with the output, and stops the child, when the timeout passes', async () => {
    const started = startServer({
      name: 'silent',
      command: process.execPath,
      args: [fixture('group.mjs')],
      ready: LISTENING,
      timeoutMs: 1500,
    });
    const error = await started.then(
      () => undefined,
      (e: unknown) => String(e),
    );
    expect(error).toMatch(/silent: no output matching .* within 1500 ms; its last output:\ngrandchild \d+/);
    // Stopped before the rejection, with the grandchild it started.
    const grandchild = Number(/grandchild (\d+)/.exec(error!)![1]);
    await vi.waitFor(() => expect(isRunning(grandchild)).toBe(false));
  });
});

describe('waitUntil', () => {
  it('polls until the probe answers, counting a throw as not yet', async () => {
    const child = spawnChild({ name: 'idle', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] });
    let calls = 0;
    const value = await waitUntil(
      child,
      async () => {
        calls++;
        if (calls === 1) throw new Error('ECONNREFUSED');
        return calls === 3 && 'ready';
      },
      { timeoutMs: 10_000, intervalMs: 10 },
    );
    expect([value, calls]).toEqual(['ready', 3]);
    await child.stop();
  });

  it('rejects when the child exits first', async () => {
    const child = spawnChild({ name: 'early exit', command: process.execPath, args: [fixture('early-exit.mjs')] });
    await expect(waitUntil(child, async () => false, { timeoutMs: 10_000, what: 'a ping' })).rejects.toThrow(
      /early exit exited \(code 2\) before a ping; its last output:\nstarting\nConfiguration error/,
    );
  });
});

describe('retryOnAddressInUse', () => {
  async function takenPort(): Promise<number> {
    const blocker = createServer().listen(0, '127.0.0.1');
    blockers.push(blocker);
    await once(blocker, 'listening');
    return (blocker.address() as { port: number }).port;
  }

  it('starts again on another port when the server finds its port taken', async () => {
    const taken = await takenPort();
    const ports: number[] = [];
    // The first attempt is made to lose the race: its port is already in use.
    const server = await retryOnAddressInUse((port) => {
      ports.push(ports.length === 0 ? taken : port);
      return listen(ports.at(-1)!);
    });
    expect(ports).toHaveLength(2);
    expect(ports[1]).not.toBe(taken);
    expect(server.url).toBe(`http://127.0.0.1:${ports[1]}`);
  });

  it('does not retry another failure, nor more than `attempts` times', async () => {
    let early = 0;
    await expect(
      retryOnAddressInUse(() => {
        early++;
        return startServer({
          name: 'early exit',
          command: process.execPath,
          args: [fixture('early-exit.mjs')],
          ready: LISTENING,
        });
      }),
    ).rejects.toThrow(/PORT must be a number/);
    expect(early).toBe(1);

    const taken = await takenPort();
    let tries = 0;
    await expect(
      retryOnAddressInUse(
        () => {
          tries++;
          return listen(taken);
        },
        { attempts: 3 },
      ),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(tries).toBe(3);
  });
});
