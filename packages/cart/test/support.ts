import assert from 'node:assert/strict';
import { defineService, type ShopApp } from '@shopstack/kernel';
import { actAs, staffHeadersFor } from '@shopstack/kernel/testing';
import type { ShippingClient, ShippingRate } from '../src/shipping-client.js';

/** Helpers shared by the cart's tests: products through the catalogue's staff API, carts through HTTP. */

export const catalogueStaff = await staffHeadersFor('catalogue');
export const cartStaff = await staffHeadersFor('cart');

/** Bearer headers of a customer at the cart service. */
export async function customerHeaders(id: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await actAs({ kind: 'customer', id }, 'cart')}` };
}

let counter = 0;
/** A name no other test of the run uses (SKUs and slugs are unique per store). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/**
 * Shipping as the cart sees it, standing in for the shipping service: DE, AT and FR are served by
 * standard (4.90, free from a 50.00 subtotal) and express (9.90); nowhere else.
 */
export const fakeShippingClient: ShippingClient = {
  async rates(_ctx, parcel) {
    if (!['DE', 'AT', 'FR'].includes(parcel.country)) return [];
    const rate = (code: string, amount: number, freeFrom?: number): ShippingRate => {
      const free = freeFrom !== undefined && parcel.subtotal.amount >= freeFrom;
      return {
        methodId: `m-${code}`,
        code,
        name: code === 'standard' ? 'Standard' : 'Express',
        price: { amount: free ? 0 : amount, currency: parcel.subtotal.currency },
        free,
      };
    };
    return [rate('standard', 490, 5000), rate('express', 990)];
  },
  // The cart never ships anything.
  async createShipment() {
    throw new Error('the cart does not create shipments');
  },
  async cancelShipment() {
    throw new Error('the cart does not cancel shipments');
  },
  async shipmentsForOrder() {
    return [];
  },
};

export const fakeShippingService = defineService<ShippingClient, ShippingClient>({
  name: 'shipping',
  description: 'Fixed shipping rates for the cart tests',
  migrations: {},
  create: () => fakeShippingClient,
  routes: async () => {},
  inProcessClient: (api) => api,
  httpClient: () => fakeShippingClient,
});

export interface TestVariant {
  sku: string;
  price: number;
  onHand?: number;
  weightGrams?: number;
}

export interface TestProduct {
  id: string;
  slug: string;
  variants: Array<{ id: string; sku: string }>;
}

/** Creates a product through the catalogue's staff API (published unless said). */
export async function createProduct(
  shop: ShopApp,
  variants: TestVariant[],
  status: 'published' | 'draft' = 'published',
): Promise<TestProduct> {
  const name = unique('Cart product');
  const res = await shop.app.inject({
    method: 'POST',
    url: '/api/catalogue/admin/products',
    headers: catalogueStaff,
    payload: {
      name,
      status,
      variants: variants.map((v) => ({
        sku: v.sku,
        price: { amount: v.price, currency: shop.config.store.currency },
        onHand: v.onHand ?? 100,
        ...(v.weightGrams !== undefined ? { weightGrams: v.weightGrams } : {}),
      })),
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as TestProduct;
}

/** Sends a staff request to the catalogue and checks it succeeded. */
export async function catalogueAdmin(
  shop: ShopApp,
  method: 'PATCH' | 'PUT' | 'POST',
  url: string,
  payload: object,
) {
  const res = await shop.app.inject({
    method,
    url: `/api/catalogue${url}`,
    headers: catalogueStaff,
    payload,
  });
  assert.ok(res.statusCode < 300, res.body);
  return res.json() as Record<string, unknown>;
}

/** Who sends a cart request: a guest's cart token and/or a bearer token. */
export interface Caller {
  token?: string;
  headers?: Record<string, string>;
}

/** One request to the cart's API. */
export async function cartRequest(
  shop: ShopApp,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  caller: Caller = {},
  payload?: unknown,
) {
  return shop.app.inject({
    method,
    url: `/api/cart${url}`,
    headers: {
      ...(caller.headers ?? {}),
      ...(caller.token ? { 'x-cart-token': caller.token } : {}),
    },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** Opens a guest cart; returns its id and token. */
export async function guestCart(shop: ShopApp): Promise<{ id: string; token: string }> {
  const res = await cartRequest(shop, 'POST', '');
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json() as { id: string; token: string };
  return { id: body.id, token: body.token };
}

/** Sets the store's price convention, default country and a country's rates as staff. */
export async function configureTax(
  shop: ShopApp,
  settings: { pricesIncludeTax: boolean; defaultCountry: string | null },
  rates: Record<string, Array<{ taxClass: string; rateBasisPoints: number }>> = {},
) {
  const put = await cartRequest(shop, 'PUT', '/admin/settings', { headers: cartStaff }, settings);
  assert.equal(put.statusCode, 200, put.body);
  for (const [country, list] of Object.entries(rates)) {
    const res = await cartRequest(
      shop,
      'PUT',
      `/admin/tax-rates/${country}`,
      { headers: cartStaff },
      { rates: list },
    );
    assert.equal(res.statusCode, 200, res.body);
  }
}

/** Creates a discount code as staff; returns it. */
export async function createDiscount(shop: ShopApp, spec: Record<string, unknown>) {
  const res = await cartRequest(shop, 'POST', '/admin/discounts', { headers: cartStaff }, spec);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; code: string; used: number };
}
