import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureAddToCart } from './cart.js';
import { measureCheckout, type CheckoutTransactions } from './checkout.js';
import { BENCH_AMQP_URL, bindEventSink } from './events.js';
import { duringImportVerdict, measureDuringImport } from './during-import.js';
import type { LoadResult, PathSource } from './load.js';
import { options } from './options.js';
import { createBenchDatabase, transactionCounters, type TransactionCounters } from './postgres.js';
import {
  BENCH_HOST,
  freePort,
  getJson,
  residentMemoryMiB,
  startServer,
  type ServerProcess,
} from './processes.js';
import type { Backend, Scenario, ServerRole, ServerStart } from './report.js';
import {
  type Catalogue,
  collectProducts,
  detailPaths,
  distinctListPath,
  listPaths,
  searchPaths,
  unrequestedProductPath,
} from './scenarios.js';
import {
  cleanups,
  duringImport,
  failures,
  log,
  measured,
  root,
  run,
  serverStarts,
  serviceSecret,
  staffToken,
  withServer,
} from './session.js';
import { startStockChurn, type StockChurnResult } from './stock-churn.js';

/** Starts ShopStack through its CLI, runs `body` against it, and records the start and the memory it held. */
async function withShop<T>(
  backend: Backend,
  role: ServerRole,
  env: NodeJS.ProcessEnv,
  firstStart: boolean,
  body: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const cache = env.SHOPSTACK_CACHE !== 'false';
  log(
    `${backend} ${role}: starting ShopStack, cache ${cache ? 'on' : 'off'}` +
      (firstStart ? ` (seeding ${env.SHOPSTACK_SEED_PRODUCTS} products)` : ' on the same data'),
  );
  const started = performance.now();
  return withServer(
    () =>
      startServer({
        name: `ShopStack on ${backend} (${role})`,
        args: [path.join(root, 'packages', 'cli', 'bin', 'shopstack.mjs'), 'start'],
        env: { ...env, PORT: String(port) },
        port,
        readyPath: '/health/ready',
        timeoutMs: options.startTimeoutSeconds * 1000,
      }),
    async (server) => {
      const startSeconds = Math.round((performance.now() - started) / 100) / 10;
      const rssAfterStartMiB = residentMemoryMiB(server.pid);
      const { total } = await getJson<{ total: number }>(`${server.baseUrl}/api/catalogue/products?limit=1`);
      log(
        `${backend} ${role}: ready after ${startSeconds} s, ${rssAfterStartMiB} MiB resident, ${total} products`,
      );
      const start: ServerStart = {
        backend,
        server: role,
        cache,
        firstStart,
        products: total,
        startSeconds,
        rssAfterStartMiB,
        rssAtEndMiB: null,
      };
      serverStarts.push(start);
      try {
        return await body(server);
      } finally {
        start.rssAtEndMiB = residentMemoryMiB(server.pid);
        log(`${backend} ${role}: ${start.rssAtEndMiB} MiB resident at the end`);
      }
    },
  );
}

async function record(backend: Backend, scenario: Scenario, baseUrl: string, paths: PathSource) {
  measured.push({ backend, scenario, load: await run(`${backend} ${scenario}`, baseUrl, paths) });
}

/** Measures a scenario while a background writer adjusts the stock of `skus` every 50 ms. */
async function recordUnderStockChurn(
  backend: Backend,
  scenario: Scenario,
  baseUrl: string,
  paths: string[],
  skus: readonly string[],
) {
  const label = `${backend} ${scenario}`;
  const churn = startStockChurn(baseUrl, staffToken, skus);
  let load: LoadResult;
  let writes: StockChurnResult;
  try {
    load = await run(label, baseUrl, paths);
  } finally {
    writes = await churn.stop();
    log(
      `${label}: stock writer ${writes.stockWritesPerSec} writes/s, ` +
        `${writes.stockWrites} done, ${writes.stockWritesFailed} failed`,
    );
  }
  if (writes.stockWritesFailed > 0)
    failures.push(
      `${label}: ${writes.stockWritesFailed} stock writes failed, the first: ${writes.firstFailure}`,
    );
  measured.push({ backend, scenario, load, writes });
}

/** Every other SKU from each list, without repeats, so that the writes reach both rotations. */
function interleave(a: readonly string[], b: readonly string[]): string[] {
  const merged = new Set<string>();
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) merged.add(a[i]!);
    if (i < b.length) merged.add(b[i]!);
  }
  return [...merged];
}

/** SKUs the checkout buys, each stocked with enough units for any run. */
const CHECKOUT_SKUS = 100;
const CHECKOUT_ON_HAND = 1_000_000;

/** Seconds of an idle shop over which its background commits are counted, after the checkout. */
const IDLE_SECONDS = 10;

/** Sets the units on hand of each SKU through the staff API (a count, as after a delivery). */
async function setStock(baseUrl: string, skus: readonly string[], onHand: number): Promise<void> {
  for (const sku of skus) {
    const res = await fetch(`${baseUrl}/api/catalogue/admin/stock/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ onHand }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`setting the stock of ${sku} answered ${res.status}: ${body.slice(0, 300)}`);
  }
}

/**
 * The whole purchase (bench/checkout.ts) on SKUs stocked for it. On PostgreSQL, also the commits of
 * the shop's database per order: pg_stat_database before and after the measurement, then over a few
 * idle seconds to show what background work alone commits.
 */
async function recordCheckout(
  backend: Backend,
  baseUrl: string,
  catalogue: Catalogue,
  databaseUrl: string | undefined,
  scenario: 'checkout' | 'checkout-rabbitmq-relay' = 'checkout',
): Promise<void> {
  const label = scenario === 'checkout' ? `${backend} checkout` : `${backend} checkout, relay to RabbitMQ`;
  const skus = catalogue.skus.slice(0, CHECKOUT_SKUS);
  await setStock(baseUrl, skus, CHECKOUT_ON_HAND);
  log(
    `${label}: cart, line, shipping quote, card token, checkout; ${skus.length} SKUs with ` +
      `${CHECKOUT_ON_HAND} units each, ${options.checkoutConnections} connections, ` +
      `${options.warmupSeconds} s warm-up + ${options.checkoutSeconds} s`,
  );
  let before: TransactionCounters | undefined;
  const { load, figures } = await measureCheckout({
    baseUrl,
    skus,
    connections: options.checkoutConnections,
    durationSeconds: options.checkoutSeconds,
    warmupSeconds: options.warmupSeconds,
    beforeMeasurement: databaseUrl
      ? async () => {
          before = await transactionCounters(databaseUrl);
        }
      : undefined,
  });
  log(
    `${label}: ${figures.ordersPerSec} orders/s (${figures.orders} orders), checkout p50 ${load.p50Ms} ms, ` +
      `p99 ${load.p99Ms} ms, whole flow p50 ${figures.flowP50Ms} ms, p99 ${figures.flowP99Ms} ms; ` +
      `${figures.stepRequestsPerSec} requests/s over all steps, ${load.errors} errors, ${load.non2xx} non-2xx, ` +
      `${figures.abandonedFlows} flows given up`,
  );
  const failed = load.errors + load.non2xx + load.warmupFailures;
  if (failed > 0)
    failures.push(`${label}: ${failed} requests failed, the first: ${figures.firstFailure ?? 'a timeout'}`);

  let transactions: CheckoutTransactions | undefined;
  if (databaseUrl && before && figures.orders > 0) {
    const after = await transactionCounters(databaseUrl);
    const idle = await transactionCounters(databaseUrl, IDLE_SECONDS * 1000);
    const perOrder = (count: number) => Math.round((count / figures.orders) * 10) / 10;
    const transactionsPerOrder = (after.commits - before.commits) / figures.orders;
    transactions = {
      transactionsPerOrder: perOrder(after.commits - before.commits),
      writeTransactionsPerOrder: perOrder(after.nextTransactionId - before.nextTransactionId),
      backgroundTransactionsPerSec: Math.round(((idle.commits - after.commits) / IDLE_SECONDS) * 10) / 10,
      checkoutTransactionsPerSec: Math.round(figures.ordersPerSec * transactionsPerOrder),
      pgbenchTps: null,
      ratioToPgbench: null,
    };
    log(
      `${label}: ${transactions.transactionsPerOrder} commits per order (every step of the flow and ` +
        `background work included; ${transactions.writeTransactionsPerOrder} of them wrote), ` +
        `${transactions.checkoutTransactionsPerSec} commits/s; ` +
        `${transactions.backgroundTransactionsPerSec} commits/s while idle afterwards`,
    );
  }
  measured.push({ backend, scenario, load, checkout: { ...figures, ...transactions } });
}

/**
 * The checkout again with the relay publishing every event to RabbitMQ, each publish confirmed
 * and persisted in a durable queue bound to the store's exchange (the consumers run elsewhere, as
 * in a deployment of services apart): what publishing costs the checkout. The figure without it
 * is the checkout above, whose events waited in the outbox.
 */
async function recordCheckoutWithRabbitRelay(backend: Backend, env: NodeJS.ProcessEnv, catalogue: Catalogue) {
  const prefix = `bench-${Date.now().toString(36)}`;
  const sink = await bindEventSink(prefix, env.SHOPSTACK_STORE_ID ?? 'demo');
  cleanups.push(() => sink.remove());
  const relayEnv = {
    ...env,
    AMQP_URL: BENCH_AMQP_URL,
    SHOPSTACK_EVENT_PREFIX: prefix,
    SHOPSTACK_EVENT_RELAY: 'true',
  };
  await withShop(backend, 'rabbitmq-relay', relayEnv, false, async (server) => {
    await recordCheckout(backend, server.baseUrl, catalogue, env.DATABASE_URL, 'checkout-rabbitmq-relay');
    // The relay keeps up: the backlog empties within seconds of the load's end.
    let backlog = Infinity;
    for (let i = 0; i < 50 && backlog > 0; i++) {
      const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
      backlog = [...metrics.matchAll(/^shopstack_outbox_backlog_events\{[^}]*\} (\d+)/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
      if (backlog > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const queued = await sink.count();
    log(
      `${backend} checkout, relay to RabbitMQ: ${queued} events confirmed into the durable queue; backlog ${backlog}`,
    );
    if (backlog > 0) failures.push(`${backend} checkout, relay to RabbitMQ: ${backlog} events left unsent`);
  });
  const base = measured.find((m) => m.backend === backend && m.scenario === 'checkout');
  const withRelay = measured.find((m) => m.backend === backend && m.scenario === 'checkout-rabbitmq-relay');
  if (base?.checkout?.ordersPerSec && withRelay?.checkout?.ordersPerSec) {
    const ratio = withRelay.checkout.ordersPerSec / base.checkout.ordersPerSec;
    log(
      `${backend}: checkout with the relay to RabbitMQ at ${(ratio * 100).toFixed(1)}% of the checkout without it ` +
        `(${withRelay.checkout.ordersPerSec} against ${base.checkout.ordersPerSec} orders/s)`,
    );
    if (ratio < 0.8)
      failures.push(
        `${backend}: the RabbitMQ relay costs the checkout more than 20% (${(ratio * 100).toFixed(1)}%)`,
      );
  }
}

function shopEnv(dataDir: string, products: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: BENCH_HOST,
    SHOPSTACK_DATA_DIR: dataDir,
    SHOPSTACK_SEED_PRODUCTS: String(products),
    SHOPSTACK_SERVICE_SECRET: serviceSecret,
    SHOPSTACK_CACHE: 'true',
    LOG_LEVEL: 'warn',
    // The shop's own services; fulfilment, e-mail and reviews would run elsewhere in a deployment
    // of services apart. Events wait in the outbox (see recordCheckoutWithRabbitRelay).
    SHOPSTACK_SERVICES: 'users,catalogue,shipping,cart,payment,orders',
    SHOPSTACK_EVENT_RELAY: 'false',
  };
  delete env.DATABASE_URL;
  delete env.SHOPSTACK_CONFIG;
  return env;
}

/** A data directory and, for PostgreSQL, a database of the run's own, both removed at clean-up. */
async function freshStore(backend: Backend, products: number): Promise<NodeJS.ProcessEnv> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shopstack-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env = shopEnv(dataDir, products);
  if (backend === 'postgres') {
    const database = await createBenchDatabase();
    cleanups.push(() => database.drop());
    env.DATABASE_URL = database.url;
  }
  return env;
}

/**
 * One backend's runs on a 10,000-product catalogue (by default): cached, under stock churn, the
 * cart and the checkout, then without the cache; with BENCH_ONLY=checkout, the checkout alone.
 */
export async function measureShop(backend: Backend): Promise<void> {
  const env = await freshStore(backend, options.products);

  const catalogue = await withShop(backend, 'cache-on', env, true, async (server) => {
    const catalogue = await collectProducts(server.baseUrl, options.detailSlugs);
    log(
      `${backend}: the catalogue lists ${catalogue.total} published products; ${catalogue.slugs.length} product pages in rotation`,
    );
    if (catalogue.slugs.length === 0)
      throw new Error(`${backend}: the catalogue is empty, nothing to measure`);
    if (options.only === 'checkout') {
      await recordCheckout(backend, server.baseUrl, catalogue, env.DATABASE_URL);
      return catalogue;
    }

    const detail = detailPaths(catalogue);
    const list = await listPaths(server.baseUrl);
    await record(backend, 'product-detail', server.baseUrl, detail);
    await record(backend, 'product-list', server.baseUrl, list.paths);
    const search = await searchPaths(server.baseUrl, catalogue);
    log(`${backend}: ${search.terms.length} search terms, ${search.termsWithoutHits} of them without hits`);
    await record(backend, 'search', server.baseUrl, search.paths);

    const skus = interleave(catalogue.skus, list.skus);
    log(`${backend}: stock writes every 50 ms over ${skus.length} SKUs of the rotated products`);
    await recordUnderStockChurn(backend, 'product-detail-churn', server.baseUrl, detail, skus);
    await recordUnderStockChurn(backend, 'product-list-churn', server.baseUrl, list.paths, skus);

    log(`${backend} add-to-cart: create a cart, add a line, ${options.connections} connections`);
    measured.push({
      backend,
      scenario: 'add-to-cart',
      load: await measureAddToCart({
        baseUrl: server.baseUrl,
        skus: catalogue.skus,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
      }),
    });
    const cart = measured[measured.length - 1]!.load;
    log(
      `${backend} add-to-cart: ${cart.requestsPerSec} req/s, p50 ${cart.p50Ms} ms, p99 ${cart.p99Ms} ms, ` +
        `${cart.errors} errors, ${cart.non2xx} non-2xx`,
    );

    await recordCheckout(backend, server.baseUrl, catalogue, env.DATABASE_URL);

    log(`${backend}: importing ${options.importRows} products while probing liveness and a cached read`);
    const during = await measureDuringImport(
      backend,
      server.baseUrl,
      staffToken,
      await unrequestedProductPath(server.baseUrl, catalogue),
      options.importRows,
    );
    duringImport.push(during);
    log(duringImportVerdict(during).text);
    return catalogue;
  });
  if (!catalogue) return;
  if (backend === 'postgres') await recordCheckoutWithRabbitRelay(backend, env, catalogue);
  if (options.only === 'checkout') return;

  // The same data again, now read without the cache: the embedded database has been released by the
  // server before, and the catalogue is not empty, so nothing is seeded.
  await withShop(backend, 'cache-off', { ...env, SHOPSTACK_CACHE: 'false' }, false, async (server) => {
    await record(backend, 'product-detail-nocache', server.baseUrl, detailPaths(catalogue));
    await record(backend, 'product-list-nocache', server.baseUrl, (await listPaths(server.baseUrl)).paths);
    await record(
      backend,
      'search-nocache',
      server.baseUrl,
      (await searchPaths(server.baseUrl, catalogue)).paths,
    );
    await record(backend, 'list-distinct-nocache', server.baseUrl, distinctListPath);
  });
}

/** PostgreSQL with a large catalogue and no cache: seeded on a first start, measured after a restart. */
export async function measureLargeCatalogue(products: number): Promise<void> {
  const env = { ...(await freshStore('postgres', products)), SHOPSTACK_CACHE: 'false' };
  await withShop('postgres', 'large-first-start', env, true, async () => {});
  await withShop('postgres', 'large', env, false, async (server) => {
    await record(
      'postgres',
      'product-list-large-nocache',
      server.baseUrl,
      (await listPaths(server.baseUrl)).paths,
    );
  });
}
