import type { CheckoutFigures, CheckoutTransactions } from './checkout.js';
import type { LoadResult } from './load.js';
import type { StockChurnResult } from './stock-churn.js';

export type Backend = 'pglite' | 'postgres';
export type Scenario =
  | 'hello-world'
  | 'product-detail'
  | 'product-list'
  | 'search'
  | 'product-detail-churn'
  | 'product-list-churn'
  | 'product-detail-nocache'
  | 'product-list-nocache'
  | 'search-nocache'
  | 'list-distinct-nocache'
  | 'product-list-large-nocache'
  | 'add-to-cart'
  | 'checkout'
  | 'checkout-rabbitmq-relay';

/**
 * A scenario's measurement; the stock writer's figures are there for the scenarios measured under
 * stock churn, the checkout's (and on PostgreSQL its database's) for the checkout. For the checkout,
 * requestsPerSec is orders per second and the latencies are the checkout request's.
 */
export interface ScenarioResult
  extends LoadResult, Partial<StockChurnResult>, Partial<CheckoutFigures>, Partial<CheckoutTransactions> {
  backend: Backend | 'fastify';
  scenario: Scenario;
  /** Throughput as a share of the bare Fastify ceiling measured in the same run. */
  ratioToCeiling: number;
}

/** Which ShopStack server of a backend's run a start was. */
export type ServerRole = 'cache-on' | 'cache-off' | 'large-first-start' | 'large' | 'rabbitmq-relay';

/** One start of ShopStack: how long it took to answer /health/ready and the memory its process held. */
export interface ServerStart {
  backend: Backend;
  server: ServerRole;
  cache: boolean;
  /** Whether this was the first start on a new database, seeding included. */
  firstStart: boolean;
  /** Published products the catalogue listed once the server was ready. */
  products: number;
  startSeconds: number;
  /** Resident memory of the server process (VmRSS) once ready and when it was about to stop; null without /proc. */
  rssAfterStartMiB: number | null;
  rssAtEndMiB: number | null;
}

export interface TargetCheck {
  backend: ScenarioResult['backend'];
  scenario: Scenario;
  target: string;
  holds: boolean;
}

/**
 * The goals the catalogue must meet; throughput and latency goals apply to PostgreSQL, error goals
 * (requests and, under stock churn, stock writes) everywhere.
 */
export function checkTargets(results: readonly ScenarioResult[]): TargetCheck[] {
  return results.map((r) => {
    const clean =
      r.errors === 0 && r.non2xx === 0 && r.warmupFailures === 0 && (r.stockWritesFailed ?? 0) === 0;
    const check = (target: string, holds: boolean) => ({
      backend: r.backend,
      scenario: r.scenario,
      target: `${target}${target ? ', ' : ''}no errors`,
      holds: holds && clean,
    });
    const atLeast = (requestsPerSec: number) => r.requestsPerSec >= requestsPerSec;
    if (r.backend !== 'postgres') return check('', true);
    switch (r.scenario) {
      case 'product-detail':
      case 'product-detail-churn':
        return check('>= 40% of ceiling', r.ratioToCeiling >= 0.4);
      case 'product-list':
      case 'product-list-churn':
        return check('>= 20% of ceiling', r.ratioToCeiling >= 0.2);
      case 'search':
      case 'search-nocache':
        return check('>= 1000 req/s, p99 < 100 ms', atLeast(1000) && r.p99Ms < 100);
      case 'product-detail-nocache':
        return check('>= 3000 req/s', atLeast(3000));
      case 'product-list-nocache':
        return check('>= 1000 req/s', atLeast(1000));
      case 'list-distinct-nocache':
        return check('p99 < 100 ms', r.p99Ms < 100);
      case 'product-list-large-nocache':
        return check('>= 300 req/s', atLeast(300));
      case 'add-to-cart':
        return check('>= 1000 req/s', atLeast(1000));
      case 'checkout':
        return check('>= 100 orders/s, p99 < 1000 ms', atLeast(100) && r.p99Ms < 1000);
      default:
        return check('', true);
    }
  });
}

/** An aligned plain-text table of the results with the verdict of each target. */
export function formatTable(results: readonly ScenarioResult[], checks: readonly TargetCheck[]): string {
  const header = [
    'backend',
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'non-2xx',
    'ceiling',
    'writes/s',
    'target',
    'holds',
  ];
  const rows = results.map((r, i) => [
    r.backend,
    r.scenario,
    String(r.requestsPerSec),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.errors),
    String(r.non2xx),
    `${(r.ratioToCeiling * 100).toFixed(1)}%`,
    r.stockWritesPerSec === undefined ? '' : r.stockWritesPerSec.toFixed(1),
    checks[i]!.target,
    checks[i]!.holds ? 'yes' : 'NO',
  ]);
  return alignedTable(header, rows, new Set([2, 3, 4, 5, 6, 7, 8]));
}

/**
 * An aligned plain-text table of the checkout runs: orders, the checkout request's and the whole
 * flow's latency, and on PostgreSQL the database's commits per order against pgbench's rate.
 */
export function formatCheckoutTable(results: readonly ScenarioResult[]): string {
  const optional = (value: number | null | undefined, digits = 0) =>
    value === undefined || value === null ? 'n/a' : value.toFixed(digits);
  const header = [
    'backend',
    'orders/s',
    'orders',
    'checkout p50 ms',
    'checkout p99 ms',
    'flow p50 ms',
    'flow p99 ms',
    'step req/s',
    'errors',
    'non-2xx',
    'commits/order',
    'writes/order',
    'commits/s',
    'idle commits/s',
    'pgbench tps',
    'of pgbench',
  ];
  const rows = results
    .filter((r) => r.scenario === 'checkout' || r.scenario === 'checkout-rabbitmq-relay')
    .map((r) => [
      r.scenario === 'checkout' ? r.backend : `${r.backend}, relay to RabbitMQ`,
      String(r.requestsPerSec),
      String(r.orders ?? 0),
      r.p50Ms.toFixed(1),
      r.p99Ms.toFixed(1),
      optional(r.flowP50Ms, 1),
      optional(r.flowP99Ms, 1),
      String(r.stepRequestsPerSec ?? 0),
      String(r.errors),
      String(r.non2xx),
      optional(r.transactionsPerOrder, 1),
      optional(r.writeTransactionsPerOrder, 1),
      optional(r.checkoutTransactionsPerSec),
      optional(r.backgroundTransactionsPerSec, 1),
      optional(r.pgbenchTps),
      r.ratioToPgbench === undefined || r.ratioToPgbench === null
        ? 'n/a'
        : `${(r.ratioToPgbench * 100).toFixed(1)}%`,
    ]);
  return alignedTable(header, rows, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]));
}

/** An aligned plain-text table of the server starts: start-up time and resident memory. */
export function formatServerTable(starts: readonly ServerStart[]): string {
  const mib = (value: number | null) => (value === null ? 'n/a' : String(value));
  const header = [
    'backend',
    'server',
    'cache',
    'products',
    'start s',
    'RSS after start MiB',
    'RSS at end MiB',
  ];
  const rows = starts.map((s) => [
    s.backend,
    s.server,
    s.cache ? 'on' : 'off',
    String(s.products),
    `${s.startSeconds.toFixed(1)}${s.firstStart ? ' (seeding)' : ''}`,
    mib(s.rssAfterStartMiB),
    mib(s.rssAtEndMiB),
  ]);
  return alignedTable(header, rows, new Set([3, 4, 5, 6]));
}

function alignedTable(header: string[], rows: string[][], numeric: ReadonlySet<number>): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (numeric.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
