import { waitForOutput } from './ready.js';
import { spawnChild, type Child, type SpawnOptions } from './spawn.js';

/** A child that listens: where, and its pid (for /proc: RSS, CPU time). */
export interface RunningServer extends Child {
  readonly url: string;
  readonly pid: number;
}

export interface ServerOptions extends SpawnOptions {
  /**
   * How to know it listens: a pattern whose first group is its URL, matched on its output
   * (start it on port 0 so that it prints the port it got), or a function that resolves with
   * its URL and rejects when the child exits first (see waitUntil).
   */
  ready: RegExp | ((child: Child) => Promise<string>);
  /** How long it may take to be ready (60 s). */
  timeoutMs?: number;
}

/** Spawns a server and resolves once it is ready; stops it and rejects, with its output, otherwise. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { ready, timeoutMs = 60_000, ...spawnOptions } = options;
  const child = spawnChild(spawnOptions);
  try {
    const url =
      typeof ready === 'function' ? await ready(child) : urlOf(await waitForOutput(child, ready, timeoutMs), ready);
    return { ...child, url, pid: child.pid! };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

function urlOf(match: RegExpExecArray, pattern: RegExp): string {
  if (match[1] === undefined) throw new Error(`the ready pattern ${pattern} has no group for the URL`);
  return match[1];
}
