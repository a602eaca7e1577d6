import { readFileSync, writeFileSync } from 'node:fs';
import { stopAll, type RunningServer } from '@wa-contacts/test-kit';

/** A server the harness started (test-kit: its own process group, URL from its log), and its RSS. */
export interface ServerProcess extends RunningServer {
  rss: RssMonitor;
}

export function withRss(server: RunningServer): ServerProcess {
  return { ...server, rss: new RssMonitor(server.pid) };
}

/**
 * Stops every child this process started, then exits (for SIGINT / SIGTERM): the children run
 * in process groups of their own, so a Ctrl-C of `pnpm bench` does not reach them.
 */
export function stopAllAndExit(code: number): void {
  void stopAll(5000).finally(() => process.exit(code));
}

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
