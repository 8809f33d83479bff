import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { loadResult, type LoadResult } from './load.js';

/** What the checkout scenario reports besides its load result. */
export interface CheckoutFigures {
  /** Orders placed (checkouts answered 201) per second of the measurement. */
  ordersPerSec: number;
  orders: number;
  /** Requests of all five steps per second. */
  stepRequestsPerSec: number;
  /** From creating the cart to the order's answer, for the flows that ended in an order. */
  flowP50Ms: number;
  flowP99Ms: number;
  /** Flows given up after a step failed or timed out (the connection started over with a new cart). */
  abandonedFlows: number;
  /** The first failed step's answer, to say what went wrong. */
  firstFailure?: string;
}

/** Database figures of the checkout on PostgreSQL, with the pgbench run they are compared with. */
export interface CheckoutTransactions {
  /**
   * Commits of the shop's database (pg_stat_database.xact_commit) over the measurement, per order:
   * every step of the flow and the background work of the time included, read-only ones too.
   */
  transactionsPerOrder: number;
  /** Of those, the ones that wrote (transaction ids the server handed out), per order. */
  writeTransactionsPerOrder: number;
  /** Commits per second of the same database while nobody shopped, just after the measurement. */
  backgroundTransactionsPerSec: number;
  /** Orders per second times commits per order. */
  checkoutTransactionsPerSec: number;
  /** TPC-B-like transactions per second pgbench reached on the same server; null when it could not run. */
  pgbenchTps: number | null;
  /** Checkout commits per second as a share of pgbench's; null without pgbench. */
  ratioToPgbench: number | null;
}

export interface CheckoutMeasurement {
  /**
   * The scenario's load result: requestsPerSec is orders per second, p50Ms and p99Ms are the
   * checkout request's own latency; requests, errors, timeouts and non2xx count every step.
   */
  load: LoadResult;
  figures: CheckoutFigures;
}

interface Cart {
  id: string;
  token: string;
}

/** What a connection remembers along one shopper's flow; autocannon gives each flow a fresh one. */
interface FlowContext {
  startedAt?: number;
  cart?: Cart;
  lineAdded?: boolean;
  shippingMethodId?: string;
  paymentToken?: string;
  checkoutSentAt?: number;
}

const json = { 'content-type': 'application/json' };

const shippingAddress = {
  recipient: 'Bench Buyer',
  line1: 'Hauptstr. 1',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

/** The value below which `share` of the sorted samples lie (nearest rank); 0 without samples. */
function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}

/** One autocannon run of the flow, with what its hooks counted. */
interface FlowRun {
  result: autocannon.Result;
  orders: number;
  checkoutLatencies: number[];
  flowLatencies: number[];
  firstFailure?: string;
}

/**
 * The whole purchase as a shop front makes it, in a loop on every connection: create a cart, add a
 * line (a SKU with plenty of stock, quantity 1), quote shipping to Germany and take the first method,
 * tokenize the test card that succeeds, and check out with a fresh Idempotency-Key. A step that fails
 * ends the flow: the connection starts over with a new cart. Every answer must be a 2xx.
 */
export async function measureCheckout(options: {
  baseUrl: string;
  skus: readonly string[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Runs between the warm-up and the measurement (the database's counters are read there). */
  beforeMeasurement?: () => Promise<void>;
}): Promise<CheckoutMeasurement> {
  if (options.skus.length === 0) throw new Error('checkout needs SKUs in stock');
  const expYear = new Date().getFullYear() + 2;
  let next = 0;

  const fire = async (seconds: number): Promise<FlowRun> => {
    const run: Omit<FlowRun, 'result'> = { orders: 0, checkoutLatencies: [], flowLatencies: [] };
    const failed = (step: string, status: number, body: string) => {
      run.firstFailure ??= `${step} answered ${status}: ${body.slice(0, 300)}`;
    };
    // Each step keeps what it got only from a 2xx. A step whose predecessor failed or timed out
    // returns nothing from setupRequest: autocannon then starts the connection over from the first
    // request, with a fresh context.
    const skip = undefined as unknown as autocannon.Request;
    const result = await autocannon({
      url: options.baseUrl,
      connections: options.connections,
      duration: seconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/api/cart',
          headers: json,
          body: '{}',
          setupRequest: (request, context) => {
            (context as FlowContext).startedAt = performance.now();
            return request;
          },
          onResponse: (status, body, context) => {
            if (status === 201) (context as FlowContext).cart = JSON.parse(body) as Cart;
            else failed('POST /api/cart', status, body);
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context) => {
            const { cart } = context as FlowContext;
            if (!cart) return skip;
            return {
              ...request,
              path: `/api/cart/${cart.id}/lines`,
              headers: { ...json, 'x-cart-token': cart.token },
              body: JSON.stringify({ sku: options.skus[next++ % options.skus.length]!, quantity: 1 }),
            };
          },
          onResponse: (status, body, context) => {
            if (status === 200) (context as FlowContext).lineAdded = true;
            else failed('POST /api/cart/{id}/lines', status, body);
          },
        },
        {
          method: 'GET',
          setupRequest: (request, context) => {
            const { cart, lineAdded } = context as FlowContext;
            if (!cart || !lineAdded) return skip;
            return {
              ...request,
              path: `/api/shipping/quote?cartId=${encodeURIComponent(cart.id)}&country=DE`,
              headers: { 'x-cart-token': cart.token },
            };
          },
          onResponse: (status, body, context) => {
            const methodId =
              status === 200
                ? (JSON.parse(body) as { methods: Array<{ methodId: string }> }).methods[0]?.methodId
                : undefined;
            if (methodId) (context as FlowContext).shippingMethodId = methodId;
            else failed('GET /api/shipping/quote', status, status === 200 ? `no method in ${body}` : body);
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context) => {
            if (!(context as FlowContext).shippingMethodId) return skip;
            return {
              ...request,
              path: '/api/payment/tokens',
              headers: json,
              body: JSON.stringify({ number: '4242424242424242', expMonth: 12, expYear, cvc: '123' }),
            };
          },
          onResponse: (status, body, context) => {
            if (status === 201)
              (context as FlowContext).paymentToken = (JSON.parse(body) as { token: string }).token;
            else failed('POST /api/payment/tokens', status, body);
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context) => {
            const flow = context as FlowContext;
            if (!flow.cart || !flow.shippingMethodId || !flow.paymentToken) return skip;
            flow.checkoutSentAt = performance.now();
            return {
              ...request,
              path: '/api/orders/checkout',
              headers: { ...json, 'idempotency-key': randomUUID(), 'x-cart-token': flow.cart.token },
              body: JSON.stringify({
                cartId: flow.cart.id,
                email: 'bench@example.com',
                shippingAddress,
                shippingMethodId: flow.shippingMethodId,
                paymentToken: flow.paymentToken,
              }),
            };
          },
          onResponse: (status, body, context) => {
            const flow = context as FlowContext;
            if (status !== 201) return failed('POST /api/orders/checkout', status, body);
            const now = performance.now();
            run.orders++;
            run.checkoutLatencies.push(now - flow.checkoutSentAt!);
            run.flowLatencies.push(now - flow.startedAt!);
          },
        },
      ],
    });
    return { ...run, result };
  };

  const warm = options.warmupSeconds > 0 ? await fire(options.warmupSeconds) : undefined;
  await options.beforeMeasurement?.();
  const measured = await fire(options.durationSeconds);
  const { result } = measured;
  const load = loadResult(result, warm?.result);
  const checkoutLatencies = measured.checkoutLatencies.sort((a, b) => a - b);
  const flowLatencies = measured.flowLatencies.sort((a, b) => a - b);
  const ordersPerSec = Math.round((measured.orders / result.duration) * 10) / 10;
  const firstFailure = measured.firstFailure ?? warm?.firstFailure;
  return {
    load: {
      ...load,
      requestsPerSec: ordersPerSec,
      p50Ms: percentile(checkoutLatencies, 0.5),
      p99Ms: percentile(checkoutLatencies, 0.99),
    },
    figures: {
      ordersPerSec,
      orders: measured.orders,
      stepRequestsPerSec: load.requestsPerSec,
      flowP50Ms: percentile(flowLatencies, 0.5),
      flowP99Ms: percentile(flowLatencies, 0.99),
      abandonedFlows: result.resets,
      ...(firstFailure === undefined ? {} : { firstFailure }),
    },
  };
}
