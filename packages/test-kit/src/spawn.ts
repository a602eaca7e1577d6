import { spawn, type ChildProcess } from 'node:child_process';
import { cleanEnv } from './env.js';

/** How a child ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (ENOENT, EACCES). */
  error?: Error;
}

export function describeExit(exit: Exit): string {
  if (exit.error) return `could not start: ${exit.error.message}`;
  return exit.signal ?? `code ${exit.code}`;
}

export interface SpawnOptions {
  /** For messages: "the reference server", "Prism mock". */
  name: string;
  command: string;
  args?: readonly string[];
  /** The child's whole environment; cleanEnv() when not given. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How many of the last lines of stdout and stderr output() keeps (200). */
  keepLines?: number;
}

/** A command running as the leader of a process group of its own. */
export interface Child {
  readonly name: string;
  /** Also its process group's id; undefined only when it could not be started. */
  readonly pid: number | undefined;
  /** The last lines it printed, stdout and stderr interleaved, without colour codes. */
  output(): string;
  /** Calls `listener` with everything it prints from now on; returns the unsubscribe. */
  onOutput(listener: (text: string) => void): () => void;
  /** Resolves once it has exited (and its output is read). */
  readonly exited: Promise<Exit>;
  /** How it ended, or null while it runs. */
  exit(): Exit | null;
  /** Sends `signal` to its whole process group; false when it has exited already. */
  kill(signal?: NodeJS.Signals): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs` (10 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<Exit>;
}

const KEEP_LINES = 200;
const MAX_PARTIAL_LINE = 64 * 1024;
// Colour codes (Prism's log, FORCE_COLOR in CI) would split the URLs that ready patterns match.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this removes
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * The children of this process still running, shared by every copy of this module loaded in it
 * (src and dist in one process must not each assume they are alone).
 */
const RUNNING = Symbol.for('@wa-contacts/test-kit/running');
const shared = globalThis as Record<symbol, unknown>;
shared[RUNNING] ??= register();
const running = shared[RUNNING] as Set<Child>;

function register(): Set<Child> {
  const children = new Set<Child>();
  // A test process that ends without its afterAll (a crash, a timeout, process.exit) leaves no
  // server behind: the groups are detached, so nothing else would reach them.
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  // Node's default action for these signals ends the process without 'exit' handlers, and a
  // terminal's Ctrl-C does not reach detached groups. When nobody else handles the signal, the
  // children go first, then the signal is raised again with its default action. A process that
  // handles it (bench's CLI) stops them its own way, through stopAll().
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const child of children) child.kill('SIGKILL');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  return children;
}

/** Every child started through this module and still running, stopped as Child.stop does. */
export async function stopAll(graceMs?: number): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(graceMs)));
}

/**
 * Starts `command` detached, as the leader of a new process group, so that stopping it also
 * stops whatever it started (npx, a shell, workers), and keeps the end of what it prints.
 */
export function spawnChild(options: SpawnOptions): Child {
  const keepLines = options.keepLines ?? KEEP_LINES;
  const proc: ChildProcess = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = proc.pid;

  const lines: string[] = [];
  const partial = { stdout: '', stderr: '' };
  const listeners = new Set<(text: string) => void>();
  const keep = (stream: 'stdout' | 'stderr') => (chunk: string) => {
    const text = chunk.replace(ANSI, '');
    const parts = (partial[stream] + text).split('\n');
    partial[stream] = parts.pop()!.slice(-MAX_PARTIAL_LINE);
    lines.push(...parts.map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== ''));
    if (lines.length > keepLines) lines.splice(0, lines.length - keepLines);
    for (const listener of listeners) listener(text);
  };
  proc.stdout!.setEncoding('utf8').on('data', keep('stdout'));
  proc.stderr!.setEncoding('utf8').on('data', keep('stderr'));
  const output = () => [...lines, partial.stdout, partial.stderr].filter((line) => line.trim() !== '').join('\n');

  let status: Exit | null = null;
  const exited = new Promise<Exit>((resolve) => {
    proc.once('exit', (code, signal) => {
      status = { code, signal };
      const ended = status;
      // The last output may still be in the pipes; a grandchild holding them open must not
      // keep the exit from being reported, though.
      const timer = setTimeout(() => resolve(ended), 1000);
      proc.once('close', () => {
        clearTimeout(timer);
        resolve(ended);
      });
    });
    proc.once('error', (error) => {
      if (pid !== undefined) return; // a failed kill of a started child: its 'exit' still comes
      status = { code: null, signal: null, error };
      lines.push(`${options.name} could not be started: ${error.message}`);
      resolve(status);
    });
  });

  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (pid === undefined || status !== null) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // the group is gone already
    }
  };

  const stop = async (graceMs = 10_000) => {
    if (!kill('SIGTERM')) return exited;
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  const child: Child = {
    name: options.name,
    pid,
    output,
    onOutput: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exited,
    exit: () => status,
    kill,
    stop,
  };
  if (pid !== undefined) {
    running.add(child);
    proc.once('exit', () => running.delete(child));
  }
  return child;
}
