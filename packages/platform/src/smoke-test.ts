import { randomUUID } from 'node:crypto';
import { mintServiceToken } from '@shopstack/kernel';
import { request } from 'undici';

export interface SmokeTestOptions {
  /** A worker of the slot under test (not the gateway: shoppers must not see the slot yet). */
  origin: string;
  storeId: string;
  /** The store's service secret: the test cancels its own order as staff with a service credential. */
  serviceSecret: string;
  timeoutMs?: number;
}

/** The address test orders ship to; the e-mail marks them as the platform's own. */
export const SMOKE_EMAIL = 'smoke-test@shopstack.invalid';
const ADDRESS = {
  recipient: 'Smoke Test',
  line1: 'Teststraße 1',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

class SmokeFailure extends Error {}

/**
 * Checks a newly started slot end to end before it takes traffic: reads the catalogue, fills a
 * cart and, when something is in stock, checks out with the test payment gateway and cancels that
 * order again (its stock and payment are returned). Rejects naming the step that failed.
 */
export async function smokeTest(
  options: SmokeTestOptions,
  report: (message: string) => void = () => {},
): Promise<void> {
  const timeout = options.timeoutMs ?? 15_000;
  const call = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await request(`${options.origin}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: () => JSON.parse(text) as Record<string, unknown>, text };
  };
  const expect = (step: string, status: number, wanted: number, text: string) => {
    if (status !== wanted)
      throw new SmokeFailure(`smoke test: ${step} answered ${status}: ${text.slice(0, 200)}`);
  };

  const listing = await call('GET', '/api/catalogue/products?inStock=true&limit=20');
  expect('GET /api/catalogue/products', listing.status, 200, listing.text);
  const products = (listing.json().items ?? []) as Array<{
    variants: Array<{ sku: string; inStock?: boolean }>;
  }>;
  report(`catalogue read: ${products.length} product(s) in stock listed`);

  const cartAnswer = await call('POST', '/api/cart', {});
  expect('POST /api/cart', cartAnswer.status, 201, cartAnswer.text);
  const cart = cartAnswer.json() as { id: string; token: string };
  const cartHeaders = { 'x-cart-token': cart.token };
  const sku = products.flatMap((p) => p.variants).find((v) => v.inStock !== false)?.sku;
  if (!sku) {
    report('cart created; checkout skipped: nothing in stock');
    return;
  }
  const line = await call('POST', `/api/cart/${cart.id}/lines`, { sku, quantity: 1 }, cartHeaders);
  expect('POST /api/cart/{id}/lines', line.status, 200, line.text);
  report(`cart: ${sku} added`);

  const quote = await call(
    'GET',
    `/api/shipping/quote?cartId=${encodeURIComponent(cart.id)}&country=DE`,
    undefined,
    cartHeaders,
  );
  expect('GET /api/shipping/quote', quote.status, 200, quote.text);
  const methodId = (quote.json().methods as Array<{ methodId: string }> | undefined)?.[0]?.methodId;
  if (!methodId) throw new SmokeFailure('smoke test: no shipping method quoted for DE');
  const token = await call('POST', '/api/payment/tokens', {
    number: '4242424242424242',
    expMonth: 12,
    expYear: new Date().getFullYear() + 2,
    cvc: '123',
  });
  expect('POST /api/payment/tokens', token.status, 201, token.text);
  const checkout = await call(
    'POST',
    '/api/orders/checkout',
    {
      cartId: cart.id,
      email: SMOKE_EMAIL,
      shippingAddress: ADDRESS,
      shippingMethodId: methodId,
      paymentToken: token.json().token,
    },
    { ...cartHeaders, 'idempotency-key': randomUUID() },
  );
  expect('POST /api/orders/checkout', checkout.status, 201, checkout.text);
  const order = checkout.json() as { id: string };

  const credential = await mintServiceToken(
    { secret: options.serviceSecret, storeId: options.storeId, caller: 'platform', audience: 'orders' },
    { actor: { kind: 'staff', id: 'platform-smoke-test', role: 'admin' } },
  );
  const cancel = await call(
    'POST',
    `/api/orders/admin/orders/${order.id}/cancel`,
    { reason: 'deploy smoke test' },
    { authorization: `Bearer ${credential}`, 'idempotency-key': randomUUID() },
  );
  expect('POST /api/orders/admin/orders/{id}/cancel', cancel.status, 200, cancel.text);
  report(`checkout: order ${order.id} placed with the test gateway and cancelled`);
}
