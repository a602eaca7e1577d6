import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnChild, stopAll, waitForOutput, type Child } from '../src/index.js';
import { fixture, isRunning } from './helpers.js';

const started: Child[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop(1000)));
});

function group(...args: string[]): Child {
  const child = spawnChild({ name: 'group fixture', command: process.execPath, args: [fixture('group.mjs'), ...args] });
  started.push(child);
  return child;
}

async function grandchildOf(child: Child): Promise<number> {
  return Number((await waitForOutput(child, /grandchild (\d+)/, 30_000))[1]);
}

describe('spawnChild', () => {
  it('stop() ends the whole process group, grandchildren too', async () => {
    const child = group();
    const grandchild = await grandchildOf(child);
    expect(isRunning(grandchild)).toBe(true);
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    await vi.waitFor(() => expect(isRunning(grandchild)).toBe(false));
    expect(child.exit()).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('stop() sends SIGKILL to a child that ignores SIGTERM, after the grace period', async () => {
    const child = group('--ignore-term');
    const grandchild = await grandchildOf(child);
    const before = Date.now();
    expect(await child.stop(500)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - before).toBeGreaterThanOrEqual(450);
    expect(child.output()).toContain('SIGTERM ignored');
    await vi.waitFor(() => expect(isRunning(grandchild)).toBe(false));
  });

  it('stopAll() stops every child still running', async () => {
    const children = [group(), group()];
    const grandchildren = await Promise.all(children.map(grandchildOf));
    await stopAll(1000);
    for (const child of children) expect(child.exit()).not.toBeNull();
    await vi.waitFor(() => expect(grandchildren.filter(isRunning)).toEqual([]));
  });

  it('output() keeps the last lines of stdout and stderr, without colour codes', async () => {
    const script =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the child evaluates this template
      'for (let i = 1; i <= 5; i++) console.log(`line ${i}`); console.error("\\u001b[31mred\\u001b[39m on stderr")';
    const child = spawnChild({ name: 'printer', command: process.execPath, args: ['-e', script], keepLines: 3 });
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.output().split('\n').sort()).toEqual(['line 4', 'line 5', 'red on stderr']);
  });

  it('reports a command that cannot be started, with the reason', async () => {
    const child = spawnChild({ name: 'nothing', command: '/nonexistent/command' });
    const exit = await child.exited;
    expect(exit.error?.message).toMatch(/ENOENT/);
    expect(child.output()).toMatch(/nothing could not be started: .*ENOENT/);
    expect(child.kill()).toBe(false);
  });

  // The fixture is a separate node process that loads the built test-kit (dist/), as the
  // contract scripts do.
  it.each(['exit', 'SIGTERM', 'SIGINT'])('kills the children of a process that ends by %s', async (how) => {
    const result = spawnSync(process.execPath, [fixture('exits-with-children.mjs'), how], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stdout, result.stderr).toMatch(/pids \d+ \d+/);
    const [child, grandchild] = /pids (\d+) (\d+)/.exec(result.stdout)!.slice(1).map(Number);
    expect(how === 'exit' ? result.status : result.signal).toBe(how === 'exit' ? 0 : how);
    await vi.waitFor(() => expect([child, grandchild].filter((pid) => isRunning(pid!))).toEqual([]));
  });
});
