import autocannon from 'autocannon';

export interface LoadOptions {
  baseUrl: string;
  /**
   * Paths requested in turn, round-robin across all connections; or the path of the n-th request,
   * n counting on from the warm-up into the measurement, for a scenario whose paths never repeat
   * (such a scenario has no first pass).
   */
  paths: PathSource;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

/** A scenario's paths: a list to rotate over, or the path of the n-th request for paths that never repeat. */
export type PathSource = readonly string[] | ((n: number) => string);

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /**
   * Throughput of the first pass over every path, while caches are still cold (not part of the
   * measurement); null for paths that never repeat, which have no first pass.
   */
  coldPassRequestsPerSec: number | null;
  /** Errors and non-2xx answers during the first pass and the warm-up; they fail the run like any other. */
  warmupFailures: number;
}

/** The next path to request: round-robin over a list, or on along a sequence that never repeats. */
type NextPath = () => string;

function roundRobin(paths: readonly string[]): NextPath {
  let next = 0;
  return () => paths[next++ % paths.length]!;
}

function sequence(pathAt: (n: number) => string): NextPath {
  let next = 0;
  return () => pathAt(next++);
}

function fire(options: LoadOptions, seconds: number, nextPath: NextPath): Promise<autocannon.Result> {
  return autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.path = nextPath();
          return request;
        },
      },
    ],
  });
}

interface FirstPass {
  requests: number;
  seconds: number;
  failures: number;
}

/** Requests every path once, `connections` at a time, as the first visitors after a start would. */
async function firstPass(options: LoadOptions, paths: readonly string[]): Promise<FirstPass> {
  const started = performance.now();
  let next = 0;
  let failures = 0;
  const visitor = async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      try {
        const res = await fetch(options.baseUrl + path, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (!res.ok) failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.connections, paths.length) }, visitor));
  return { requests: paths.length, seconds: (performance.now() - started) / 1000, failures };
}

/**
 * Requests every path once (filling caches as a shop's steady traffic would), warms up for a few
 * seconds, then measures under a fixed number of connections. Paths that never repeat skip the
 * first pass and go on from the warm-up into the measurement without starting over.
 */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  const { paths } = options;
  let cold: FirstPass | undefined;
  let warmupPath: NextPath;
  let measuredPath: NextPath;
  if (typeof paths === 'function') {
    warmupPath = measuredPath = sequence(paths);
  } else {
    if (paths.length === 0) throw new Error('a scenario needs at least one path');
    cold = await firstPass(options, paths);
    warmupPath = roundRobin(paths);
    measuredPath = roundRobin(paths);
  }
  const warm = options.warmupSeconds > 0 ? await fire(options, options.warmupSeconds, warmupPath) : undefined;
  const result = await fire(options, options.durationSeconds, measuredPath);
  return loadResult(result, warm, cold);
}

/** A measurement as the report reads it, from autocannon's results of the run, its warm-up and first pass. */
export function loadResult(
  result: autocannon.Result,
  warm: autocannon.Result | undefined,
  cold?: FirstPass,
): LoadResult {
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    coldPassRequestsPerSec: cold ? Math.round(cold.requests / cold.seconds) : null,
    warmupFailures: (cold?.failures ?? 0) + (warm ? warm.errors + warm.non2xx : 0),
  };
}
