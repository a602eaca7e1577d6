import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';

/** A server the harness started: its pid (for RSS), its URL, and how to stop it. */
export interface ServerProcess {
  name: string;
  pid: number;
  url: string;
  port: number;
  rss: RssMonitor;
  /** The last lines it printed, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves with the exit code (or signal). */
  stop(): Promise<string>;
}

/** A port nobody listens on right now (loopback only). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every child still running, so an interrupted run (Ctrl-C, SIGTERM) leaves none behind. */
const running = new Set<ChildProcess>();

/** Stops every child this process started, then exits (for SIGINT / SIGTERM). */
export function stopAllAndExit(code: number): void {
  for (const child of running) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(code);
  }, 5000);
  timer.unref();
  if (running.size === 0) process.exit(code);
  for (const child of running) child.once('exit', () => running.size === 0 && process.exit(code));
}

/**
 * Variables the reference server reads: a child never inherits them from the harness's own
 * environment (CI exports DATABASE_URL, which would put the "PGlite" server on PostgreSQL).
 */
const SERVER_VARIABLES = /^(WA_.*|DATABASE_URL|HOST|PORT|LOG_LEVEL)$/;

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  /** Added to the harness's environment, which is passed on without SERVER_VARIABLES. */
  env: Record<string, string>;
  port: number;
  cwd?: string;
  /** How long the server may take to answer its first request. */
  startTimeoutMs: number;
}

/**
 * Starts a server as a child process and resolves once it answers HTTP on its port (any
 * status). Rejects, with its output, when it exits or does not answer in time.
 */
export async function startProcess(options: SpawnOptions): Promise<ServerProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !SERVER_VARIABLES.test(name))), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: string | null = null;
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => resolve((exit = signal ?? String(code))));
    child.on('error', (error) => {
      lines.push(String(error));
      resolve((exit = 'spawn error'));
    });
  });

  const url = `http://127.0.0.1:${options.port}`;
  const output = () => lines.join('\n');
  const deadline = Date.now() + options.startTimeoutMs;
  while (!(await answers(url))) {
    if (exit !== null) throw new Error(`${options.name} exited (${exit}) before answering:\n${output()}`);
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`${options.name} did not answer on ${url} within ${options.startTimeoutMs} ms:\n${output()}`);
    }
    await sleep(100);
  }
  return {
    name: options.name,
    pid: child.pid!,
    url,
    port: options.port,
    rss: new RssMonitor(child.pid!),
    output,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<string> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }
  return exited;
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 1000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(true));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Peak resident memory of a process (Linux). Each window starts by resetting the kernel's
 * high-water mark (`5` into /proc/<pid>/clear_refs) and ends by reading VmHWM, so a window's
 * peak is exact; where the reset is not allowed, VmRSS sampled every 100 ms stands in.
 * The lifetime peak is the largest of every window and every sample.
 */
export class RssMonitor {
  private lifetimeKb = 0;
  private windowKb = 0;
  private canReset = true;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pid: number) {}

  /** Starts a measuring window (and ends the previous one). */
  begin(): void {
    this.end();
    this.windowKb = 0;
    // The peak since the last reset (start-up, or between windows) still counts for the lifetime.
    const hwm = this.read('VmHWM');
    if (hwm !== null) this.lifetimeKb = Math.max(this.lifetimeKb, hwm);
    if (this.canReset) {
      try {
        writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      } catch {
        this.canReset = false;
      }
    }
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
    this.sample();
  }

  /** Ends the window: its peak in MB (null when /proc is not readable). */
  end(): number | null {
    if (!this.timer) return this.windowKb ? this.windowKb / 1024 : null;
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const hwm = this.read('VmHWM');
    // Without a reset VmHWM is the lifetime peak, not the window's.
    if (hwm !== null && this.canReset) this.windowKb = Math.max(this.windowKb, hwm);
    if (hwm !== null) this.lifetimeKb = Math.max(this.lifetimeKb, hwm);
    this.lifetimeKb = Math.max(this.lifetimeKb, this.windowKb);
    return this.windowKb ? this.windowKb / 1024 : null;
  }

  /** The largest RSS seen since the process started, in MB. */
  lifetimeMb(): number | null {
    if (this.timer) this.sample();
    const hwm = this.read('VmHWM');
    if (hwm !== null) this.lifetimeKb = Math.max(this.lifetimeKb, hwm);
    return this.lifetimeKb ? this.lifetimeKb / 1024 : null;
  }

  private sample(): void {
    const rss = this.read('VmRSS');
    if (rss !== null) {
      this.windowKb = Math.max(this.windowKb, rss);
      this.lifetimeKb = Math.max(this.lifetimeKb, rss);
    }
  }

  private read(field: 'VmHWM' | 'VmRSS'): number | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) : null;
    } catch {
      return null;
    }
  }
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat
 * (clock ticks of 10 ms); null where /proc is not readable. Unlike latency, it hardly moves
 * when other processes compete for the cores.
 */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}
