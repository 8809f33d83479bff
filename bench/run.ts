import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { duringImportVerdict } from './during-import.js';
import { formatEventTable, measureEvents, type EventFigures } from './events.js';
import { formatWebTable, measureWeb, type WebFigures } from './web.js';
import type { LoadResult } from './load.js';
import { options } from './options.js';
import { BENCH_HOST, freePort, startServer } from './processes.js';
import { measurePgbench } from './pgbench.js';
import {
  checkTargets,
  formatCheckoutTable,
  formatServerTable,
  formatTable,
  type ScenarioResult,
} from './report.js';
import {
  ceilings,
  cleanUp,
  duringImport,
  failures,
  log,
  measured,
  root,
  run,
  serverStarts,
  withServer,
  type Measurement,
} from './session.js';
import { measureLargeCatalogue, measureShop } from './shop-runs.js';

async function abort(reason: string): Promise<never> {
  log(`${reason}: stopping servers and cleaning up`);
  await cleanUp();
  process.exit(2);
}

// The bench always ends: past its time budget it cleans up and exits, as on Ctrl-C.
setTimeout(
  () => void abort(`time budget of ${options.timeoutSeconds} s exceeded`),
  options.timeoutSeconds * 1000,
).unref();
process.once('SIGINT', () => void abort('interrupted'));
process.once('SIGTERM', () => void abort('terminated'));

const eventFigures: EventFigures[] = [];
let webFigures: WebFigures | undefined;

async function measureCeiling(): Promise<void> {
  const port = await freePort();
  await withServer(
    () =>
      startServer({
        name: 'hello-world server',
        args: ['--import', 'tsx', path.join(root, 'bench', 'hello-server.ts')],
        env: { ...process.env, HOST: BENCH_HOST, PORT: String(port), NODE_ENV: 'production' },
        port,
        readyPath: '/',
        timeoutMs: 60_000,
      }),
    async (server) => {
      const load = await run('hello-world', server.baseUrl, ['/']);
      if (load.errors + load.non2xx + load.warmupFailures > 0) {
        failures.push(
          `the hello-world server failed ${load.errors + load.non2xx + load.warmupFailures} requests`,
        );
      }
      ceilings.push(load);
    },
  );
}

/**
 * pgbench's TPC-B-like rate on the same PostgreSQL server, once no shop runs, set beside the
 * commits per second the checkout caused there: how far the checkout is from the database's limit.
 */
async function compareWithPgbench(): Promise<void> {
  const checkout = measured.find((m) => m.backend === 'postgres' && m.scenario === 'checkout')?.checkout;
  if (checkout?.checkoutTransactionsPerSec === undefined) return;
  const pgbench = await measurePgbench({ clients: 20, threads: 2, scale: 10, seconds: 20 });
  if (!pgbench) return;
  checkout.pgbenchTps = Math.round(pgbench.tps);
  checkout.ratioToPgbench = Math.round((checkout.checkoutTransactionsPerSec / pgbench.tps) * 1000) / 1000;
  log(
    `checkout on PostgreSQL: ${checkout.checkoutTransactionsPerSec} commits/s against pgbench's ` +
      `${checkout.pgbenchTps} tps, ${(checkout.ratioToPgbench * 100).toFixed(1)}%`,
  );
}

// Other work on the machine skews every number; the load average at start says how busy it was.
const loadAverageAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
log(
  `${cpus().length} CPUs (${availableParallelism()} usable, load average ${loadAverageAtStart.join(' ')}), Node ${process.version}; backends ${options.backends.join(', ')}; ` +
    `${options.products} products` +
    (options.only ? `; only the ${options.only}` : '') +
    (options.largeProducts && !options.only ? `; then ${options.largeProducts} products on PostgreSQL` : ''),
);
try {
  // A run of one part alone has no ceiling: its ratio to the ceiling reads 0.
  if (!options.only) await measureCeiling();
  if (!options.only || options.only === 'events') {
    for (const bus of ['memory', 'rabbitmq'] as const) {
      try {
        log(`events through the ${bus} bus: ${options.events} events from ${options.eventWriters} writers`);
        const figures = await measureEvents(bus, { events: options.events, writers: options.eventWriters });
        eventFigures.push(figures);
        log(
          `events through the ${bus} bus: ${figures.eventsPerSec} events/s, end to end p50 ${figures.latencyP50Ms} ms, ` +
            `p99 ${figures.latencyP99Ms} ms, ${figures.duplicates} duplicates dropped`,
        );
      } catch (err) {
        failures.push(`events (${bus}): ${(err as Error).message}`);
        log(`events (${bus}) failed: ${(err as Error).message}`);
      }
    }
  }
  if (!options.only || options.only === 'web') {
    try {
      log(
        `storefront in headless Chromium: ${options.webProducts} products, ${options.webRuns} cold product pages`,
      );
      webFigures = await measureWeb(options.webProducts, options.webRuns);
      log(
        `storefront: home JS+CSS ${webFigures.homeJsCssGzipKb} KB gzipped, product LCP median ` +
          `${webFigures.productLcpMedianMs} ms (worst ${webFigures.productLcpMaxMs} ms)`,
      );
      if (webFigures.homeJsCssGzipKb > 150)
        failures.push(
          `the home page loads ${webFigures.homeJsCssGzipKb} KB of JS+CSS gzipped (budget 150 KB)`,
        );
      if (webFigures.productLcpMedianMs >= 1500)
        failures.push(`a product page's LCP is ${webFigures.productLcpMedianMs} ms (budget 1500 ms)`);
    } catch (err) {
      failures.push(`web: ${(err as Error).message}`);
      log(`web failed: ${(err as Error).message}`);
    }
  }
  for (const backend of options.only === 'events' || options.only === 'web' ? [] : options.backends) {
    try {
      await measureShop(backend);
    } catch (err) {
      failures.push(`${backend}: ${(err as Error).message}`);
      log(`${backend} failed: ${(err as Error).message}`);
    } finally {
      await cleanUp();
    }
  }
  try {
    await compareWithPgbench();
  } catch (err) {
    failures.push(`pgbench: ${(err as Error).message}`);
    log(`pgbench failed: ${(err as Error).message}`);
  } finally {
    await cleanUp();
  }
  if (options.largeProducts && !options.only) {
    try {
      await measureLargeCatalogue(options.largeProducts);
    } catch (err) {
      failures.push(`postgres, ${options.largeProducts} products: ${(err as Error).message}`);
      log(`postgres, ${options.largeProducts} products failed: ${(err as Error).message}`);
    } finally {
      await cleanUp();
    }
  }
  // The ceiling is measured again at the end and the better run kept, so that a burst of other
  // work on the machine during one measurement cannot make the ratios look better than they are.
  if (measured.length && !options.only) await measureCeiling();
} catch (err) {
  failures.push((err as Error).message);
  log(`failed: ${(err as Error).message}`);
} finally {
  await cleanUp();
}

const ceiling = ceilings.reduce<LoadResult | undefined>(
  (best, c) => (best && best.requestsPerSec >= c.requestsPerSec ? best : c),
  undefined,
);
const results: ScenarioResult[] = [];
const entries: Measurement[] = [
  ...(ceiling ? [{ backend: 'fastify' as const, scenario: 'hello-world' as const, load: ceiling }] : []),
  ...measured,
];
for (const { backend, scenario, load, writes, checkout } of entries) {
  // Key order puts the headline numbers first in each JSON line.
  const result: ScenarioResult = {
    backend,
    scenario,
    requestsPerSec: load.requestsPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    errors: load.errors,
    non2xx: load.non2xx,
    ratioToCeiling: ceiling ? Math.round((load.requestsPerSec / ceiling.requestsPerSec) * 1000) / 1000 : 0,
    requests: load.requests,
    timeouts: load.timeouts,
    coldPassRequestsPerSec: load.coldPassRequestsPerSec,
    warmupFailures: load.warmupFailures,
    ...writes,
    ...checkout,
  };
  results.push(result);
  console.log(JSON.stringify(result));
}
if (ceilings.length > 1)
  log(
    `hello-world ceiling runs: ${ceilings.map((c) => c.requestsPerSec).join(' and ')} req/s; the higher one is used`,
  );

for (const figures of eventFigures) console.log(JSON.stringify({ scenario: 'events', ...figures }));
if (webFigures) console.log(JSON.stringify({ scenario: 'web', ...webFigures }));
for (const during of duringImport) console.log(JSON.stringify(during));
for (const start of serverStarts) console.log(JSON.stringify(start));

const checks = checkTargets(results);
if (results.length) console.log(`\n${formatTable(results, checks)}`);
if (results.some((r) => r.scenario === 'checkout'))
  console.log(`\nCheckout:\n${formatCheckoutTable(results)}`);
if (eventFigures.length)
  console.log(`\nEvents (write, relay, bus, handle; PostgreSQL):\n${formatEventTable(eventFigures)}`);
if (webFigures) console.log(`\nStorefront (headless Chromium, this machine):\n${formatWebTable(webFigures)}`);
if (serverStarts.length) console.log(`\nServer starts:\n${formatServerTable(serverStarts)}`);
const importVerdicts = duringImport.map(duringImportVerdict);
if (importVerdicts.length)
  console.log(`\nWhile a staff import runs:\n${importVerdicts.map((v) => `- ${v.text}`).join('\n')}`);
const allHold = checks.every((c) => c.holds) && importVerdicts.every((v) => v.holds) && failures.length === 0;

const report = {
  finishedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtStart },
  options,
  ceilingRuns: ceilings.map((c) => c.requestsPerSec),
  results,
  serverStarts,
  duringImport,
  events: eventFigures,
  targets: checks,
  failures,
  allTargetsHold: allHold,
};
mkdirSync(path.join(root, '.bench'), { recursive: true });
writeFileSync(path.join(root, '.bench', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
log(`results written to .bench/latest.json; ${allHold ? 'every target holds' : 'some targets do not hold'}`);
for (const failure of failures) log(`failure: ${failure}`);
process.exit(allHold ? 0 : 1);
