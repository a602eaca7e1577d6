import autocannon, { type Request, type Result } from 'autocannon';
import { call } from './http.js';

/** One timed stretch of load (or one one-shot request) against one server. */
export interface Round {
  requests: number;
  durationS: number;
  /** Milliseconds per completed request (sub-millisecond, unlike autocannon's histogram). */
  latencies: number[];
  non2xx: number;
  /** Socket errors, timeouts excluded. */
  socketErrors: number;
  timeouts: number;
  bytes: number;
  /** CPU time the server process used during the round (ms), when known. */
  serverCpuMs: number | null;
}

export interface Measurement {
  /** Completed requests over every round. */
  requests: number;
  rounds: number;
  durationS: number;
  /** Median over the rounds of each round's requests per second (load); requests / time (one-shot). */
  rps: number;
  /** Every round's requests per second, in order. */
  roundRps: number[];
  /** Milliseconds, over every request of every round. For one-shot rows, the median of the repeats. */
  p50: number;
  /** Milliseconds. For one-shot rows: the slowest of the repeats. */
  p99: number;
  /** non2xx + socket errors + timeouts. */
  errors: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  /** Average response size in bytes (headers included for load runs, body only for one-shot runs). */
  bytesPerResponse: number;
  /** Server CPU time (user + system) per request, microseconds; null when /proc is not readable. */
  cpuUsPerRequest: number | null;
}

/** Generous: two cores never reach it, but it bounds the count whatever happens. */
const MAX_REQUESTS_PER_SECOND = 200_000;

/**
 * autocannon (as a library) against one server: `connections` keep-alive connections, each
 * cycling through `requests`, for durationS seconds and at most a fixed number of requests;
 * a watchdog stops it if it overruns. `record: false` for warm-ups.
 */
export async function runLoad(
  url: string,
  requests: Request[],
  options: { connections: number; durationS: number; record?: boolean },
): Promise<Round> {
  const latencies: number[] = [];
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        pipelining: 1,
        duration: options.durationS,
        // autocannon notices the end of `duration` only when it takes a sample (every second by
        // default): a quick run's 0.5 s lasted a whole second.
        sampleInt: 100,
        maxOverallRequests: Math.max(options.connections, Math.ceil(options.durationS * MAX_REQUESTS_PER_SECOND)),
        timeout: 10,
        requests,
      },
      (error, r) => (error ? reject(error as Error) : resolve(r)),
    );
    if (options.record !== false) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
    const watchdog = setTimeout(() => instance.stop(), (options.durationS + 30) * 1000);
    instance.on('done', () => clearTimeout(watchdog));
  });
  return {
    requests: result.requests.total,
    durationS: result.duration,
    latencies,
    non2xx: result.non2xx,
    // autocannon counts timeouts among errors.
    socketErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    bytes: result.throughput.total,
    serverCpuMs: null,
  };
}

/** One request, latency to the last byte of the answer. */
export async function runOneRequest(url: string, request: Request): Promise<Round> {
  const round: Round = {
    requests: 0,
    durationS: 0,
    latencies: [],
    non2xx: 0,
    socketErrors: 0,
    timeouts: 0,
    bytes: 0,
    serverCpuMs: null,
  };
  try {
    const res = await call(url, request.method ?? 'GET', request.path ?? '/', {
      headers: request.headers as Record<string, string>,
      body: request.body?.toString(),
      timeoutMs: 30_000,
    });
    round.requests = 1;
    round.durationS = res.ms / 1000;
    round.latencies.push(res.ms);
    round.bytes = Buffer.byteLength(res.text);
    if (res.status < 200 || res.status > 299) round.non2xx = 1;
  } catch {
    round.socketErrors = 1;
  }
  return round;
}

/** The rounds of one server in one scenario, as one row of figures. */
export function summarize(rounds: readonly Round[], mode: 'load' | 'oneshot'): Measurement {
  const latencies = Float64Array.from(rounds.flatMap((r) => r.latencies)).sort();
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const durationS = rounds.reduce((n, r) => n + r.durationS, 0);
  const roundRps = rounds.map((r) => (r.durationS > 0 ? r.requests / r.durationS : 0));
  const non2xx = rounds.reduce((n, r) => n + r.non2xx, 0);
  const socketErrors = rounds.reduce((n, r) => n + r.socketErrors, 0);
  const timeouts = rounds.reduce((n, r) => n + r.timeouts, 0);
  return {
    requests,
    rounds: rounds.length,
    durationS,
    rps: mode === 'oneshot' ? (durationS > 0 ? requests / durationS : 0) : median([...roundRps].sort((a, b) => a - b)),
    roundRps,
    p50: median(latencies),
    p99: mode === 'oneshot' ? (latencies.at(-1) ?? 0) : percentile(latencies, 0.99),
    errors: non2xx + socketErrors + timeouts,
    non2xx,
    socketErrors,
    timeouts,
    bytesPerResponse: requests > 0 ? rounds.reduce((n, r) => n + r.bytes, 0) / requests : 0,
    cpuUsPerRequest: cpuPerRequest(rounds, requests),
  };
}

/** Below this much CPU time in all, 10 ms ticks say too little (a few one-shot requests). */
const MIN_CPU_MS = 200;

function cpuPerRequest(rounds: readonly Round[], requests: number): number | null {
  if (requests === 0 || rounds.some((r) => r.serverCpuMs === null)) return null;
  const total = rounds.reduce((n, r) => n + r.serverCpuMs!, 0);
  return total < MIN_CPU_MS ? null : (total * 1000) / requests;
}

export function median(sorted: ArrayLike<number>): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile of sorted values (q in 0..1). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
