import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { createProduct, staffHeaders, unique } from './staff.js';

const get = (shop: ShopApp, url: string, headers: Record<string, string> = {}) =>
  shop.app.inject({ method: 'GET', url: `/api/catalogue${url}`, headers });

describeEachBackend('catalogue caching headers', (backend) => {
  let shop: ShopApp;
  let product: { id: string; slug: string; sku: string };
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
    const sku = unique('CACHE-SKU');
    const created = await createProduct(shop, { name: 'Cache Jacket', variants: [{ sku, onHand: 3 }] });
    product = { id: created.id, slug: created.slug, sku };
  });

  test('an image is revalidated by weak comparison: a weak tag, a list of tags or * answer 304', async () => {
    const first = await get(shop, '/images/trail-jacket-2.svg');
    assert.equal(first.statusCode, 200);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[0-9a-f]+"$/);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", W/${etag}`, '*']) {
      const res = await get(shop, '/images/trail-jacket-2.svg', { 'if-none-match': ifNoneMatch });
      assert.equal(res.statusCode, 304, ifNoneMatch);
      assert.equal(res.body, '');
      assert.match(String(res.headers['cache-control']), /immutable/);
    }
    const other = await get(shop, '/images/trail-jacket-2.svg', { 'if-none-match': '"other", W/"nope"' });
    assert.equal(other.statusCode, 200);
    assert.equal(other.body, first.body);
  });

  test('public catalogue reads may be cached for a minute', async () => {
    for (const url of ['/products', `/products/${product.id}`, `/products/${product.slug}`, '/categories']) {
      const res = await get(shop, url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['cache-control'], 'public, max-age=60', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    }
  });

  test('stock, staff reads and errors are never stored', async () => {
    const requests = [
      { url: `/stock/${product.sku}`, status: 200 },
      { url: `/admin/products/${product.id}`, status: 200, headers: staffHeaders },
      { url: '/admin/products', status: 200, headers: staffHeaders },
      { url: `/admin/stock/${product.sku}`, status: 200, headers: staffHeaders },
      { url: '/admin/products', status: 401 },
      { url: '/products/no-such-product', status: 404 },
      { url: '/products?sort=bogus', status: 400 },
      { url: '/images/Not_Valid.svg', status: 400 },
    ];
    for (const { url, status, headers } of requests) {
      const res = await get(shop, url, headers);
      assert.equal(res.statusCode, status, url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers.etag, undefined, url);
    }
  });
});
