import assert from 'node:assert/strict';
import { cartService } from '@shopstack/cart';
import { catalogueService } from '@shopstack/catalogue';
import { defineService, serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { actAs, staffHeadersFor, type TestBackend } from '@shopstack/kernel/testing';
import type { ShippingApi } from '../src/api.js';
import { ISO_COUNTRIES } from '../src/countries.js';
import { shippingService } from '../src/index.js';
import type { ShippingMethod } from '../src/schemas/methods.js';
import type { ShippingZone } from '../src/schemas/zones.js';

/** Helpers for shipping tests: staff calls, carts through the cart's API, and countries no other test uses. */

/** A staff admin's credentials at the shipping service. */
export const staffHeaders = await staffHeadersFor('shipping');

/** An app with the shipping service and what a cart's quote needs: the catalogue and the cart. */
export function buildShippingApp(backend: TestBackend): Promise<ShopApp> {
  return backend.buildApp({ services: [catalogueService, cartService, shippingService] });
}

/**
 * An app with the shipping service alone, its cart dependency met by a stand-in that answers
 * nothing: for tests in which no cart is asked (the demo seed), so no other service's data is in play.
 */
export function buildShippingOnlyApp(backend: TestBackend): Promise<ShopApp> {
  const noCart = defineService<object, object>({
    name: 'cart',
    description: 'Stand-in for the cart service: never called',
    migrations: {},
    create: () => ({}),
    routes: async () => {},
    inProcessClient: (api) => api,
    httpClient: () => ({}),
  });
  return backend.buildApp({ services: [noCart, shippingService] });
}

const catalogueStaff = await staffHeadersFor('catalogue');

/** Bearer headers of a customer at one service. */
export async function customerAt(service: string, id: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await actAs({ kind: 'customer', id }, service)}` };
}

/** One published product of one variant, created through the catalogue's staff API; returns its SKU. */
export async function createProduct(
  shop: ShopApp,
  variant: { price: number; weightGrams: number },
): Promise<{ productId: string; sku: string }> {
  const sku = unique('SHIP');
  const res = await shop.app.inject({
    method: 'POST',
    url: '/api/catalogue/admin/products',
    headers: catalogueStaff,
    payload: {
      name: unique('Parcel product'),
      status: 'published',
      variants: [
        {
          sku,
          price: { amount: variant.price, currency: shop.config.store.currency },
          weightGrams: variant.weightGrams,
          onHand: 1_000,
        },
      ],
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return { productId: (res.json() as { id: string }).id, sku };
}

/** Who a cart belongs to: a customer's bearer headers at the cart, or a guest's token. */
export interface CartOwner {
  headers: Record<string, string>;
}

/**
 * Opens a cart through the cart's API, as a customer (by id) or a guest, and adds `quantity`
 * units of the product; returns the cart id and the headers that prove ownership at the cart.
 */
export async function openCart(
  shop: ShopApp,
  owner: { customerId: string } | 'guest',
  line: { productId: string; sku: string; quantity: number },
): Promise<{ cartId: string; headers: Record<string, string> }> {
  let headers: Record<string, string> = owner === 'guest' ? {} : await customerAt('cart', owner.customerId);
  const created = await shop.app.inject({ method: 'POST', url: '/api/cart', headers });
  assert.ok(created.statusCode === 201 || created.statusCode === 200, created.body);
  const cart = created.json() as { id: string; token: string | null };
  if (cart.token) headers = { 'x-cart-token': cart.token };
  const added = await shop.app.inject({
    method: 'POST',
    url: `/api/cart/${cart.id}/lines`,
    headers,
    payload: line,
  });
  assert.equal(added.statusCode, 200, added.body);
  return { cartId: cart.id, headers };
}

export function shippingApi(shop: ShopApp): ShippingApi {
  return shop.apis.get('shipping') as ShippingApi;
}

/** The context of a staff admin calling shipping in process, as the back office would. */
export function staffContext(shop: ShopApp): RequestContext {
  return {
    ...serviceContext(shop.config.store, shop.logger, 'test'),
    actor: { kind: 'staff', id: 'test-admin', role: 'admin' },
  };
}

/** A context with the given actor, as an in-process caller passes it. */
export function contextAs(shop: ShopApp, actor: RequestContext['actor']): RequestContext {
  return { ...serviceContext(shop.config.store, shop.logger, 'test'), actor };
}

// Each test file runs in a process of its own; countries are handed out from the end so that a
// test's zones never claim a country another test of the file claimed.
const pool = [...ISO_COUNTRIES].reverse();

/** Countries no other test of this file uses. */
export function freeCountries(n: number): string[] {
  assert.ok(pool.length >= n, 'out of countries');
  return pool.splice(0, n);
}

let counter = 0;
/** A name no other test of the run uses. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function createZone(
  shop: ShopApp,
  countries: string[],
  name = unique('Zone'),
): Promise<ShippingZone> {
  const res = await shop.app.inject({
    method: 'POST',
    url: '/api/shipping/admin/zones',
    headers: staffHeaders,
    payload: { name, countries },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as ShippingZone;
}

export interface MethodSpec {
  code?: string;
  name?: string;
  freeFrom?: number | null;
  estimatedDays?: { minDays: number; maxDays: number } | null;
  /** [maxWeightGrams, price] */
  tiers?: Array<[number | null, number]>;
}

/** Adds a method through POST /admin/zones/{zoneId}/methods, prices in the store currency. */
export async function createMethod(
  shop: ShopApp,
  zoneId: string,
  spec: MethodSpec = {},
): Promise<ShippingMethod> {
  const currency = shop.config.store.currency;
  const res = await shop.app.inject({
    method: 'POST',
    url: `/api/shipping/admin/zones/${zoneId}/methods`,
    headers: staffHeaders,
    payload: {
      code: spec.code ?? 'standard',
      name: spec.name ?? 'Standard',
      ...(spec.estimatedDays !== undefined ? { estimatedDays: spec.estimatedDays } : {}),
      ...(spec.freeFrom !== undefined
        ? { freeShippingThreshold: spec.freeFrom === null ? null : { amount: spec.freeFrom, currency } }
        : {}),
      rates: (spec.tiers ?? []).map(([maxWeightGrams, amount]) => ({
        maxWeightGrams,
        price: { amount, currency },
      })),
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as ShippingMethod;
}

/** The status and problem code of a response (code undefined for a success). */
export function outcomeOf(res: { statusCode: number; body: string }): { status: number; code?: string } {
  if (res.statusCode < 400) return { status: res.statusCode };
  return { status: res.statusCode, code: (JSON.parse(res.body) as { code: string }).code };
}
