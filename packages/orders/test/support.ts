import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { cartService } from '@shopstack/cart';
import { catalogueService } from '@shopstack/catalogue';
import type { AnyService, ConfigOverrides, ShopApp } from '@shopstack/kernel';
import { actAs, staffHeadersFor, uniqueName, type TestBackend } from '@shopstack/kernel/testing';
import { paymentService } from '@shopstack/payment';
import { shippingService } from '@shopstack/shipping';
import { createOrdersService, type CheckoutResult, type OrdersServiceOptions } from '../src/index.js';

/** Helpers shared by the orders tests: a whole shop, products, carts, card tokens and checkouts through HTTP. */

export const CARDS = {
  success: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  captureFails: '4000 0000 0000 0341',
} as const;

export const ordersStaff = await staffHeadersFor('orders');
export const catalogueStaff = await staffHeadersFor('catalogue');
export const shippingStaff = await staffHeadersFor('shipping');
export const cartStaff = await staffHeadersFor('cart');

/** Bearer headers of a customer at one service. */
export async function customerHeaders(id: string, audience = 'orders'): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await actAs({ kind: 'customer', id }, audience)}` };
}

let counter = 0;
/** A name no other test of the run uses. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** The services of a shop that takes orders, in mount order. */
export function shopServices(options: OrdersServiceOptions = {}): AnyService[] {
  return [catalogueService, shippingService, cartService, paymentService, createOrdersService(options)];
}

/**
 * Builds a shop that takes orders. The recovery job does not run on its own (a test runs it when it
 * means to); a shop built again with the same `schemaPrefix` is the same store after a restart.
 */
export async function buildCheckoutShop(
  backend: TestBackend,
  options: { orders?: OrdersServiceOptions; schemaPrefix?: string; config?: ConfigOverrides } = {},
): Promise<ShopApp> {
  return backend.buildApp({
    services: shopServices(options.orders),
    config: {
      ...options.config,
      orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 },
      ...(options.schemaPrefix ? { database: { schemaPrefix: options.schemaPrefix } } : {}),
    },
  });
}

/** A schema prefix for a shop that a test builds more than once (a restart). */
export function storePrefix(): string {
  return `${uniqueName('o').slice(0, 24)}_`;
}

/** Ships to Germany (standard, 4.90) and to the EU (express, 9.90); returns the standard method's id. */
export async function setUpShipping(shop: ShopApp): Promise<{ standard: string; express: string }> {
  const zone = await shop.app.inject({
    method: 'POST',
    url: '/api/shipping/admin/zones',
    headers: shippingStaff,
    payload: { name: unique('Zone'), countries: ['DE', 'AT'] },
  });
  assert.equal(zone.statusCode, 201, zone.body);
  const zoneId = (zone.json() as { id: string }).id;
  const ids: Record<string, string> = {};
  for (const [code, amount] of [
    ['standard', 490],
    ['express', 990],
  ] as const) {
    const method = await shop.app.inject({
      method: 'POST',
      url: `/api/shipping/admin/zones/${zoneId}/methods`,
      headers: shippingStaff,
      payload: {
        code,
        name: code === 'standard' ? 'Standard' : 'Express',
        rates: [{ maxWeightGrams: null, price: { amount, currency: 'EUR' } }],
      },
    });
    assert.equal(method.statusCode, 201, method.body);
    ids[code] = (method.json() as { id: string }).id;
  }
  return { standard: ids.standard!, express: ids.express! };
}

/** Creates and publishes a product with the given variants (SKU, price, units on hand). */
export async function createProduct(
  shop: ShopApp,
  variants: Array<{ sku: string; price: number; onHand: number }>,
): Promise<{ id: string; variants: Array<{ id: string; sku: string }> }> {
  const res = await shop.app.inject({
    method: 'POST',
    url: '/api/catalogue/admin/products',
    headers: catalogueStaff,
    payload: {
      name: unique('Order product'),
      status: 'published',
      variants: variants.map((v) => ({
        sku: v.sku,
        price: { amount: v.price, currency: 'EUR' },
        onHand: v.onHand,
        weightGrams: 200,
      })),
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; variants: Array<{ id: string; sku: string }> };
}

export interface TestCart {
  id: string;
  /** A guest cart's token; undefined for a customer's cart. */
  token?: string;
  /** Bearer headers of the cart's customer, if any. */
  headers?: { authorization: string };
}

/** Opens a cart (a guest's, or a customer's when `customerId` is given) holding the lines. */
export async function cartWith(
  shop: ShopApp,
  lines: Array<{ sku: string; quantity: number }>,
  customerId?: string,
): Promise<TestCart> {
  const cartHeaders = customerId ? await customerHeaders(customerId, 'cart') : undefined;
  const created = await shop.app.inject({ method: 'POST', url: '/api/cart', headers: cartHeaders ?? {} });
  assert.ok(created.statusCode === 201 || created.statusCode === 200, created.body);
  const body = created.json() as { id: string; token: string | null };
  const cart: TestCart = { id: body.id };
  if (body.token) cart.token = body.token;
  for (const line of lines) {
    const res = await shop.app.inject({
      method: 'POST',
      url: `/api/cart/${cart.id}/lines`,
      headers: { ...(cartHeaders ?? {}), ...(cart.token ? { 'x-cart-token': cart.token } : {}) },
      payload: line,
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  if (customerId) cart.headers = await customerHeaders(customerId, 'orders');
  return cart;
}

/** A card token of the test gateway. */
export async function cardToken(shop: ShopApp, number: string = CARDS.success): Promise<string> {
  const res = await shop.app.inject({
    method: 'POST',
    url: '/api/payment/tokens',
    payload: { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { token: string }).token;
}

export const ADDRESS = {
  recipient: 'Ada Lovelace',
  line1: 'Hauptstr. 1',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

/** Sends a checkout of a cart; the answer is returned as is. */
export async function checkout(
  shop: ShopApp,
  cart: TestCart,
  options: {
    token: string;
    methodId: string;
    key?: string;
    email?: string;
    expectedTotal?: number;
    body?: Record<string, unknown>;
  },
) {
  return shop.app.inject({
    method: 'POST',
    url: '/api/orders/checkout',
    headers: {
      'idempotency-key': options.key ?? randomUUID(),
      ...(cart.token ? { 'x-cart-token': cart.token } : {}),
      ...(cart.headers ?? {}),
    },
    payload: {
      cartId: cart.id,
      email: options.email ?? 'ada@example.com',
      shippingAddress: ADDRESS,
      shippingMethodId: options.methodId,
      paymentToken: options.token,
      ...(options.expectedTotal === undefined ? {} : { expectedTotal: options.expectedTotal }),
      ...options.body,
    },
  });
}

/** A checkout that must succeed; returns the order. */
export async function placeOrder(
  shop: ShopApp,
  cart: TestCart,
  options: { methodId: string; card?: string },
): Promise<CheckoutResult> {
  const res = await checkout(shop, cart, {
    methodId: options.methodId,
    token: await cardToken(shop, options.card),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as CheckoutResult;
}

/** On hand, reserved and available units of a SKU, as staff see them. */
export async function stockOf(shop: ShopApp, sku: string) {
  const res = await shop.app.inject({
    method: 'GET',
    url: `/api/catalogue/admin/stock/${sku}`,
    headers: catalogueStaff,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { onHand: number; reserved: number; available: number };
}

function schemaOf(shop: ShopApp, service: string): string {
  return shop.database.schemaFor(service);
}

/** Counts rows of a table of a service's schema that match a SQL condition (tests look behind the API). */
export async function countRows(
  shop: ShopApp,
  service: string,
  table: string,
  where: ReturnType<typeof sql> = sql`true`,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(
    `${schemaOf(shop, service)}.${table}`,
  )} where ${where}`.execute(shop.database.db);
  return rows[0]!.n;
}

/** Rows of a table of a service's schema (tests look behind the API). */
export async function rowsOf<T>(
  shop: ShopApp,
  service: string,
  table: string,
  where: ReturnType<typeof sql> = sql`true`,
): Promise<T[]> {
  const { rows } =
    await sql<T>`select * from ${sql.table(`${schemaOf(shop, service)}.${table}`)} where ${where}`.execute(
      shop.database.db,
    );
  return rows;
}

/** What a checkout left behind, read behind the APIs: for the crash tests' end-state checks. */
export async function checkoutOutcome(shop: ShopApp, checkoutId: string, sku: string) {
  const [checkout] = await rowsOf<{ status: string }>(shop, 'orders', 'checkouts', sql`id = ${checkoutId}`);
  const orders = await rowsOf<{ status: string }>(shop, 'orders', 'orders', sql`checkout_id = ${checkoutId}`);
  const intents = await rowsOf<{ id: string; status: string }>(
    shop,
    'payment',
    'payment_intents',
    sql`reference = ${checkoutId}`,
  );
  const captures = await countRows(
    shop,
    'payment',
    'payment_attempts',
    sql`intent_id in (select id from ${sql.table(`${shop.database.schemaFor('payment')}.payment_intents`)} where reference = ${checkoutId}) and operation = 'capture' and outcome = 'succeeded'`,
  );
  return {
    checkoutStatus: checkout?.status,
    orderStatuses: orders.map((o) => o.status),
    intentStatuses: intents.map((i) => i.status),
    captures,
    stock: await stockOf(shop, sku),
  };
}
