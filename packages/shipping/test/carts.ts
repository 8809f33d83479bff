import assert from 'node:assert/strict';
import { cartService } from '@shopstack/cart';
import { catalogueService } from '@shopstack/catalogue';
import type { ShopApp } from '@shopstack/kernel';
import { actAs, staffHeadersFor, type TestBackend } from '@shopstack/kernel/testing';
import { shippingService } from '../src/index.js';
import { unique } from './support.js';

/** Helpers for tests that quote real carts: the catalogue and the cart mounted beside shipping. */

/** An app with the shipping service and what a cart's quote needs: the catalogue and the cart. */
export function buildShippingApp(backend: TestBackend): Promise<ShopApp> {
  return backend.buildApp({ services: [catalogueService, cartService, shippingService] });
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
