import { describeExit, type Child } from './spawn.js';

/** How much of the output a pattern is matched against: a URL never spans more. */
const WINDOW = 64 * 1024;

/**
 * Resolves with what `watch` reports, or rejects with the child's last output when the child
 * exits first or `timeoutMs` passes. `watch` returns how to stop watching.
 */
function untilReady<T>(
  child: Child,
  what: string,
  timeoutMs: number,
  watch: (done: (value: T) => void) => () => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let unwatch: (() => void) | undefined;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unwatch?.();
      finish();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new Error(`${child.name}: no ${what} within ${timeoutMs} ms; its last output:\n${child.output()}`)),
        ),
      timeoutMs,
    );
    void child.exited.then((exit) =>
      settle(() =>
        reject(
          new Error(`${child.name} exited (${describeExit(exit)}) before ${what}; its last output:\n${child.output()}`),
        ),
      ),
    );
    unwatch = watch((value) => settle(() => resolve(value)));
    if (settled) unwatch();
  });
}

/**
 * The first match of `pattern` in what the child prints (colour codes removed). The way to
 * know a server listens when it was told PORT=0 and prints the address it got: no port is
 * picked in advance, so none can be taken by another process in between.
 */
export function waitForOutput(child: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const once = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return untilReady(child, `output matching ${pattern}`, timeoutMs, (done) => {
    let seen = child.output();
    const test = () => {
      const match = once.exec(seen);
      if (match) done(match);
    };
    const unsubscribe = child.onOutput((text) => {
      seen = (seen + text).slice(-WINDOW);
      test();
    });
    test();
    return unsubscribe;
  });
}

/**
 * Calls `probe` every `intervalMs` until it resolves with a truthy value (a throw counts as
 * not yet), for a server that prints nothing usable once it listens.
 */
export function waitUntil<T>(
  child: Child,
  probe: () => Promise<T | false | null | undefined>,
  { timeoutMs, intervalMs = 250, what = 'answer' }: { timeoutMs: number; intervalMs?: number; what?: string },
): Promise<T> {
  return untilReady<T>(child, what, timeoutMs, (done) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      try {
        const value = await probe();
        if (value) return done(value);
      } catch {
        // not yet
      }
      if (!stopped) timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  });
}
