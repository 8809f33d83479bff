import type { Backend } from './report.js';

function numberFromEnv(name: string, fallback: number): number;
function numberFromEnv(name: string, fallback: null): number | null;
function numberFromEnv(name: string, fallback: number | null): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

function backendsFromEnv(): Backend[] {
  const names = (process.env.BENCH_BACKENDS ?? 'pglite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (name !== 'pglite' && name !== 'postgres') throw new Error(`BENCH_BACKENDS: unknown backend ${name}`);
  }
  return names as Backend[];
}

/** The parts of a run that can be run on their own (BENCH_ONLY); unset, everything runs. */
export type OnlyPart = 'checkout' | 'events' | 'web';

function onlyFromEnv(): OnlyPart | null {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return null;
  if (raw !== 'checkout' && raw !== 'events' && raw !== 'web')
    throw new Error(`BENCH_ONLY: unknown part ${raw} (known: checkout, events, web)`);
  return raw;
}

/** The run's settings, from BENCH_* environment variables. */
export const options = {
  durationSeconds: numberFromEnv('BENCH_DURATION', 10),
  warmupSeconds: numberFromEnv('BENCH_WARMUP', 3),
  connections: numberFromEnv('BENCH_CONNECTIONS', 50),
  products: numberFromEnv('BENCH_PRODUCTS', 10_000),
  detailSlugs: numberFromEnv('BENCH_DETAIL_SLUGS', 2_000),
  backends: backendsFromEnv(),
  startTimeoutSeconds: numberFromEnv('BENCH_START_TIMEOUT', 900),
  timeoutSeconds: numberFromEnv('BENCH_TIMEOUT', 3_600),
  importRows: numberFromEnv('BENCH_IMPORT_ROWS', 5_000),
  // Seeding a large catalogue takes minutes, so it is measured only when asked for.
  largeProducts: numberFromEnv('BENCH_LARGE_PRODUCTS', null),
  // A shopper's checkout takes five requests: fewer connections, measured for longer.
  checkoutConnections: numberFromEnv('BENCH_CHECKOUT_CONNECTIONS', 20),
  checkoutSeconds: numberFromEnv('BENCH_CHECKOUT_DURATION', 20),
  only: onlyFromEnv(),
  // Events through the whole path (write, relay, bus, handle), per bus.
  events: numberFromEnv('BENCH_EVENTS', 10_000),
  eventWriters: numberFromEnv('BENCH_EVENT_WRITERS', 16),
  // The storefront in headless Chromium (bench/web.ts): products of its demo store, cold page loads.
  webProducts: numberFromEnv('BENCH_WEB_PRODUCTS', 600),
  webRuns: numberFromEnv('BENCH_WEB_RUNS', 7),
};
