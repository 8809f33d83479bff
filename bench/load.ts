import autocannon from 'autocannon';

export interface LoadOptions {
  baseUrl: string;
  /** Paths requested in turn, round-robin across all connections. */
  paths: readonly string[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Throughput of the first pass over every path, while caches are still cold (not part of the measurement). */
  coldPassRequestsPerSec: number;
  /** Errors and non-2xx answers during the first pass and the warm-up; they fail the run like any other. */
  warmupFailures: number;
}

function fire(options: LoadOptions, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  const { paths } = options;
  return autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.path = paths[next++ % paths.length]!;
          return request;
        },
      },
    ],
  });
}

/** Requests every path once, `connections` at a time, as the first visitors after a start would. */
async function firstPass(options: LoadOptions): Promise<{ seconds: number; failures: number }> {
  const started = performance.now();
  let next = 0;
  let failures = 0;
  const visitor = async () => {
    while (next < options.paths.length) {
      const path = options.paths[next++]!;
      try {
        const res = await fetch(options.baseUrl + path, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (!res.ok) failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.connections, options.paths.length) }, visitor));
  return { seconds: (performance.now() - started) / 1000, failures };
}

/**
 * Requests every path once (filling caches as a shop's steady traffic would), warms up for a few
 * seconds, then measures under a fixed number of connections.
 */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  if (options.paths.length === 0) throw new Error('a scenario needs at least one path');
  const cold = await firstPass(options);
  const warm = options.warmupSeconds > 0 ? await fire(options, options.warmupSeconds) : undefined;
  const result = await fire(options, options.durationSeconds);
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    coldPassRequestsPerSec: Math.round(options.paths.length / cold.seconds),
    warmupFailures: cold.failures + (warm ? warm.errors + warm.non2xx : 0),
  };
}
