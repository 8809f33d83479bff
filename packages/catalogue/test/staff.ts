import assert from 'node:assert/strict';
import { serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { staffHeadersFor } from '@shopstack/kernel/testing';
import type { CatalogueApi } from '../src/api.js';
import type { StaffProduct } from '../src/schemas/admin.js';

/** Helpers for tests that go through the staff API, as a shop's back office does. */

/** A staff admin's credentials at the catalogue (a token the store's services accept). */
export const staffHeaders = await staffHeadersFor('catalogue');

export function catalogueApi(shop: ShopApp): CatalogueApi {
  return shop.apis.get('catalogue') as CatalogueApi;
}

/** The context of a staff admin calling the catalogue in process, as the back office would. */
export function contextOf(shop: ShopApp): RequestContext {
  return {
    ...serviceContext(shop.config.store, shop.logger, 'test'),
    actor: { kind: 'staff', id: 'test-admin', role: 'admin' },
  };
}

let counter = 0;

/** A name no other test of the run uses (SKUs and slugs are unique per store). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export interface VariantSpec {
  sku: string;
  price?: number;
  onHand?: number;
  attributes?: Record<string, string>;
}

/** Creates a published product through POST /admin/products and returns the staff view of it. */
export async function createProduct(
  shop: ShopApp,
  spec: {
    name: string;
    variants: VariantSpec[];
    slug?: string;
    status?: 'draft' | 'published';
    categoryId?: string;
  },
): Promise<StaffProduct> {
  const res = await shop.app.inject({
    method: 'POST',
    url: '/api/catalogue/admin/products',
    headers: staffHeaders,
    payload: {
      name: spec.name,
      ...(spec.slug ? { slug: spec.slug } : {}),
      ...(spec.categoryId ? { categoryId: spec.categoryId } : {}),
      status: spec.status ?? 'published',
      variants: spec.variants.map((v) => ({
        sku: v.sku,
        price: { amount: v.price ?? 1000, currency: shop.config.store.currency },
        onHand: v.onHand ?? 0,
        ...(v.attributes ? { attributes: v.attributes } : {}),
      })),
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as StaffProduct;
}

/** On hand, reserved and available of a SKU, read through the stock service. */
export async function stockOf(shop: ShopApp, sku: string) {
  const level = await catalogueApi(shop).stock.getStockLevel(contextOf(shop), sku);
  return { onHand: level.onHand, reserved: level.reserved, available: level.available };
}
