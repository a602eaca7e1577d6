// A server run as a real child process for the tests: its own process group, killed as one.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export interface ServerProcess {
  child: ChildProcess;
  /** What the process printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM to the whole process group, SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
// Should the test process end without afterAll (a crash, a timeout), no server outlives it.
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // the group is gone already
  }
}

/** Spawns `node args...` detached (a process group of its own), piping its output. */
export function spawnServer(name: string, args: string[], env: NodeJS.ProcessEnv): ServerProcess {
  const child = spawn(process.execPath, args, { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = once(child, 'exit').then(() => running.delete(child));
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.on('error', (error) => (log += `\n${name} could not be spawned: ${error.message}`));

  async function stop(graceMs = 10_000) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    if (!killGroup(child.pid, 'SIGTERM')) return;
    const timer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  return { child, output: () => log, stop };
}

/** Polls `probeUrl` until any HTTP answer comes (a 401 is fine: it is serving). */
export async function waitUntilAnswering(name: string, server: ServerProcess, probeUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null) throw new Error(`${name} exited (${exitCode ?? signalCode}):\n${server.output()}`);
    try {
      await fetch(probeUrl);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${name} did not answer within ${timeoutMs} ms:\n${server.output()}`);
}
