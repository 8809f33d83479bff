import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

/** What a load run saw: every request, every failure (with why), every order placed. */
export interface LoadReport {
  requests: number;
  failures: string[];
  orders: string[];
  checkouts: number;
  elapsedMs: number;
}

export interface LoadOptions {
  /** The gateway. */
  url: string;
  /** Headers that pick the store (Host or X-Store). */
  storeHeaders: Record<string, string>;
  /** Requests per second to aim at (reads and checkout steps together). */
  ratePerSecond: number;
  /** Of the flows started, this share are checkouts (five requests each); the rest are reads. */
  checkoutShare: number;
  /** SKUs in stock to buy. */
  skus: string[];
  /** Product slugs to read. */
  slugs: string[];
}

const ADDRESS = {
  recipient: 'Load Test',
  line1: 'Hauptstr. 1',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

/**
 * Steady load through the gateway until stop() is called: shop reads (listings, product pages,
 * searches, the storefront's home page) mixed with whole checkouts (cart, line, shipping quote,
 * payment token, checkout with the test gateway). Any answer other than the expected 2xx, and any
 * network error, is a failure.
 */
export function startLoad(options: LoadOptions): { stop(): Promise<LoadReport> } {
  const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 10_000 });
  const report: LoadReport = { requests: 0, failures: [], orders: [], checkouts: 0, elapsedMs: 0 };
  const started = Date.now();
  let running = true;
  const inFlight = new Set<Promise<void>>();
  const json = { 'content-type': 'application/json' };

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    expected: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown> | undefined> => {
    report.requests++;
    try {
      const response = await request(`${options.url}${path}`, {
        method,
        dispatcher,
        headers: { ...options.storeHeaders, ...(body !== undefined ? json : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await response.body.text();
      if (response.statusCode !== expected) {
        report.failures.push(
          `${method} ${path.split('?')[0]} -> ${response.statusCode} ${text.slice(0, 160)}`,
        );
        return undefined;
      }
      return text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch (err) {
      report.failures.push(`${method} ${path.split('?')[0]} -> ${(err as Error).message}`);
      return undefined;
    }
  };

  let n = 0;
  const read = async () => {
    const i = n++;
    const slug = options.slugs[i % options.slugs.length]!;
    // Mostly the API a storefront calls, and now and then a whole page rendered on the server.
    switch (i % 8) {
      case 0:
      case 1:
      case 2:
        await call('GET', `/api/catalogue/products/${slug}`, 200);
        break;
      case 3:
      case 4:
        await call('GET', '/api/catalogue/products?limit=12', 200);
        break;
      case 5:
      case 6:
        await call(
          'GET',
          `/api/catalogue/products?q=${encodeURIComponent(slug.split('-')[0]!)}&limit=12`,
          200,
        );
        break;
      default:
        await call('GET', i % 16 === 7 ? '/' : `/p/${slug}`, 200);
    }
  };
  const checkout = async () => {
    const sku = options.skus[n++ % options.skus.length]!;
    const cart = (await call('POST', '/api/cart', 201, {})) as { id: string; token: string } | undefined;
    if (!cart) return;
    const cartHeaders = { 'x-cart-token': cart.token };
    if (!(await call('POST', `/api/cart/${cart.id}/lines`, 200, { sku, quantity: 1 }, cartHeaders))) return;
    const quote = await call(
      'GET',
      `/api/shipping/quote?cartId=${cart.id}&country=DE`,
      200,
      undefined,
      cartHeaders,
    );
    const methodId = (quote?.methods as Array<{ methodId: string }> | undefined)?.[0]?.methodId;
    if (!methodId) return;
    const token = await call('POST', '/api/payment/tokens', 201, {
      number: '4242424242424242',
      expMonth: 12,
      expYear: new Date().getFullYear() + 2,
      cvc: '123',
    });
    if (!token) return;
    report.checkouts++;
    const order = await call(
      'POST',
      '/api/orders/checkout',
      201,
      {
        cartId: cart.id,
        email: 'load@example.com',
        shippingAddress: ADDRESS,
        shippingMethodId: methodId,
        paymentToken: token.token,
      },
      { ...cartHeaders, 'idempotency-key': randomUUID() },
    );
    if (order) report.orders.push(order.id as string);
  };

  const loop = (async () => {
    // Flows start on a fixed beat; a checkout flow is five requests, a read one.
    const flowsPerSecond = options.ratePerSecond / (1 + 4 * options.checkoutShare);
    const interval = 1000 / flowsPerSecond;
    let next = Date.now();
    let flow = 0;
    while (running) {
      const isCheckout =
        options.skus.length > 0 && (flow++ * options.checkoutShare) % 1 > 1 - options.checkoutShare - 1e-9;
      const task = (isCheckout ? checkout() : read()).finally(() => inFlight.delete(task));
      inFlight.add(task);
      next += interval;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight);
      await dispatcher.close();
      report.elapsedMs = Date.now() - started;
      return report;
    },
  };
}
