import cliProgress from 'cli-progress';

export interface Progress {
  /** `done` counts every number with a result, earlier runs' included. */
  update(done: number): void;
  stop(): void;
}

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** A plain line is written this often when the output is not a terminal. */
export const LINE_INTERVAL_MS = 5_000;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m ${s % 60}s`
      : `${s}s`;
}

/** Numbers per second of this run, and the time left at that rate. */
function pace(start: number, startDone: number, done: number, total: number) {
  const seconds = (Date.now() - start) / 1000;
  const rate = seconds > 0 ? (done - startDone) / seconds : 0;
  return { rate: Math.round(rate), left: duration(rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY) };
}

/** A bar on a terminal, a line every 5 s otherwise; always on stderr, so stdout keeps only results. */
export function createProgress(
  mode: ProgressMode,
  total: number,
  startDone: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const chosen = mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : mode;
  const start = Date.now();
  if (chosen === 'none') return { update() {}, stop() {} };
  if (chosen === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'checking [{bar}] {value}/{total} {percentage}% | {rate} numbers/s | {left} left',
        hideCursor: true,
        // Forced for --progress bar on a pipe (tests); on a terminal it changes nothing.
        noTTYOutput: true,
        notTTYSchedule: 1000,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, startDone, { rate: 0, left: '?' });
    return {
      update: (done) => bar.update(done, pace(start, startDone, done, total)),
      stop: () => bar.stop(),
    };
  }
  let last = start;
  let current = startDone;
  const line = () => {
    const { rate, left } = pace(start, startDone, current, total);
    const percent = total === 0 ? 100 : Math.floor((current / total) * 100);
    stream.write(`checked ${current} of ${total} (${percent}%), ${rate} numbers/s, about ${left} left\n`);
  };
  return {
    update(done) {
      current = done;
      if (Date.now() - last < LINE_INTERVAL_MS) return;
      last = Date.now();
      line();
    },
    stop: line,
  };
}
