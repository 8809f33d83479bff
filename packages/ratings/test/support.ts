import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { actAs, staffHeadersFor, type TestBackend } from '@shopstack/kernel/testing';
import {
  cartWith,
  createProduct,
  placeOrder,
  setUpShipping,
  shopServices,
  unique,
} from '../../orders/test/support.js';
import type { RatingsApi } from '../src/api.js';
import { ratingsService } from '../src/index.js';
import type { ProductRating } from '../src/schemas/rating.js';
import type { Review } from '../src/schemas/review.js';

/** Helpers of the ratings tests: a shop that takes orders, buyers with paid orders, and review calls. */

export { unique };

/** A staff admin's credentials at the ratings service. */
export const ratingsStaff = await staffHeadersFor('ratings');

/** Bearer headers of a customer at the ratings service. */
export async function customer(id: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await actAs({ kind: 'customer', id }, 'ratings')}` };
}

/** A shop that takes orders, with the ratings service mounted after orders. */
export function buildRatingsShop(backend: TestBackend): Promise<ShopApp> {
  return backend.buildApp({
    services: [...shopServices(), ratingsService],
    config: { orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 } },
  });
}

export function ratingsApi(shop: ShopApp): RatingsApi {
  return shop.apis.get('ratings') as RatingsApi;
}

/** A context with the given actor, as an in-process caller passes it. */
export function contextAs(shop: ShopApp, actor: RequestContext['actor']): RequestContext {
  return { ...serviceContext(shop.config.store, shop.logger, 'test'), actor };
}

/** A product on sale with plenty of stock, and the shipping method to order it with. */
export interface ShopProduct {
  productId: string;
  sku: string;
  methodId: string;
}

const shippingOf = new WeakMap<ShopApp, Promise<{ standard: string }>>();

/** Publishes a product with one variant (shipping to Germany is set up once per shop). */
export async function productOnSale(shop: ShopApp): Promise<ShopProduct> {
  const shipping = shippingOf.get(shop) ?? setUpShipping(shop);
  shippingOf.set(shop, shipping);
  const { standard } = await shipping;
  const sku = unique('RATE');
  const product = await createProduct(shop, [{ sku, price: 1_000, onHand: 10_000 }]);
  return { productId: product.id, sku, methodId: standard };
}

/** A new customer with a paid order of the product; returns the customer's id. */
export async function buyer(shop: ShopApp, product: ShopProduct): Promise<string> {
  const customerId = unique('buyer');
  const cart = await cartWith(shop, [{ sku: product.sku, quantity: 1 }], customerId);
  await placeOrder(shop, cart, { methodId: product.methodId });
  return customerId;
}

/** Posts a review as the customer; the answer is returned as is. */
export function postReview(
  shop: ShopApp,
  productId: string,
  headers: { authorization: string } | Record<string, never>,
  body: Record<string, unknown>,
) {
  return shop.app.inject({
    method: 'POST',
    url: `/api/ratings/products/${productId}/reviews`,
    headers,
    payload: body,
  });
}

/** A review that must be accepted. */
export async function review(
  shop: ShopApp,
  productId: string,
  customerId: string,
  rating: number,
  title = 'Review',
): Promise<Review> {
  const res = await postReview(shop, productId, await customer(customerId), {
    rating,
    title,
    body: `${title}: ${rating} stars`,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Review;
}

/** A product's rating as GET /products/{productId} answers it. */
export async function ratingOf(shop: ShopApp, productId: string): Promise<ProductRating> {
  const res = await shop.app.inject({ method: 'GET', url: `/api/ratings/products/${productId}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ProductRating;
}

/** The expected rating of these stars: average to 2 decimals, count and histogram. */
export function expectedRating(productId: string, stars: number[]): ProductRating {
  const histogram = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const s of stars) histogram[String(s) as keyof typeof histogram] += 1;
  const sum = stars.reduce((a, b) => a + b, 0);
  return {
    productId,
    average: stars.length ? Math.round((sum * 100) / stars.length) / 100 : 0,
    count: stars.length,
    histogram,
  };
}

/** The status and problem code of a response (code undefined for a success). */
export function outcomeOf(res: { statusCode: number; body: string }): { status: number; code?: string } {
  if (res.statusCode < 400) return { status: res.statusCode };
  return { status: res.statusCode, code: (JSON.parse(res.body) as { code: string }).code };
}

/**
 * Waits until the catalogue's product shows this rating and the ratings outbox has published every
 * event: ProductRatingChanged reaches the catalogue through the outbox relay and the bus.
 */
export async function catalogueShows(
  shop: ShopApp,
  productId: string,
  rating: { average: number; count: number },
  withinMs = 10_000,
): Promise<void> {
  const outbox = sql.table(`${shop.database.schemaFor('ratings')}.outbox`);
  const deadline = Date.now() + withinMs;
  let last = '';
  for (;;) {
    const res = await shop.app.inject({ method: 'GET', url: `/api/catalogue/products/${productId}` });
    const shown = res.statusCode === 200 ? (res.json() as { rating?: unknown }).rating : undefined;
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${outbox} where published_at is null`.execute(shop.database.db);
    last = JSON.stringify({ shown, unpublished: rows[0]!.n });
    if (JSON.stringify(shown) === JSON.stringify(rating) && rows[0]!.n === 0) return;
    if (Date.now() > deadline) assert.fail(`the catalogue does not show ${JSON.stringify(rating)}: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
