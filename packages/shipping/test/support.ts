import assert from 'node:assert/strict';
import { defineService, serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { staffHeadersFor, type TestBackend } from '@shopstack/kernel/testing';
import type { ShippingApi } from '../src/api.js';
import { ISO_COUNTRIES } from '../src/countries.js';
import { shippingService } from '../src/index.js';
import type { ShippingMethod } from '../src/schemas/methods.js';
import type { ShippingZone } from '../src/schemas/zones.js';

/** Helpers for shipping tests: apps, staff calls, and countries no other test uses. */

/** A staff admin's credentials at the shipping service. */
export const staffHeaders = await staffHeadersFor('shipping');

/**
 * An app with the shipping service alone, its cart dependency met by a stand-in that answers
 * nothing: for tests that ask no cart for a parcel (see carts.ts for an app with the real cart).
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

export function shippingApi(shop: ShopApp): ShippingApi {
  return shop.apis.get('shipping') as ShippingApi;
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
