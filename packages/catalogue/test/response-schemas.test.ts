import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend, schemaViolations } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { CategoryTree } from '../src/schemas/category.js';
import { ProductDetail, ProductListResponse, type ProductListQuery } from '../src/schemas/product.js';
import { catalogueApi, contextOf } from './staff.js';

/**
 * The catalogue's read bodies are JSON built by SQL (the read index keeps what the database
 * assembled) and sent as that text, past any serializer; so the documented schema and the real
 * body could drift apart unseen. Here the bodies are checked against their TypeBox schemas exactly
 * as they go on the wire, over a generated catalogue with every kind of
 * product (options, sale prices, several categories deep, sold-out variants).
 */
describeEachBackend('read bodies built by SQL match their schemas', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({
      services: [catalogueService],
      config: { catalogue: { stockExposure: 'exact' } },
      seed: { products: 120, seed: 7, report: () => {} },
    });
  });

  test('every listing page, with facets and with search, is a ProductListResponse', async () => {
    const reader = catalogueApi(shop).reader;
    const ctx = contextOf(shop);
    const problems: string[] = [];
    let pages = 0;
    const queries: ProductListQuery[] = [
      { limit: 50 },
      { limit: 50, sort: 'price', inStock: true },
      { q: 'shirt', limit: 20 },
    ];
    for (const query of queries) {
      let cursor: string | undefined;
      do {
        const text = await reader.listJson(ctx, { ...query, ...(cursor ? { cursor } : {}) });
        const page = JSON.parse(text) as { nextCursor: string | null };
        problems.push(...schemaViolations(ProductListResponse, page, `page ${pages}`));
        pages++;
        cursor = page.nextCursor ?? undefined;
      } while (cursor && pages < 20);
    }
    assert.ok(pages >= 3, `pages read: ${pages}`);
    assert.deepEqual(problems, []);
  });

  test('every product page is a ProductDetail', async () => {
    const reader = catalogueApi(shop).reader;
    const ctx = contextOf(shop);
    const { items } = JSON.parse(await reader.listJson(ctx, { limit: 100 })) as {
      items: Array<{ slug: string }>;
    };
    assert.ok(items.length >= 50);
    const problems: string[] = [];
    for (const item of items) {
      const detail = await reader.getProduct(ctx, item.slug);
      assert.ok(detail, item.slug);
      problems.push(...schemaViolations(ProductDetail, detail, item.slug));
    }
    assert.deepEqual(problems, []);
  });

  test('the category tree is a CategoryTree', async () => {
    const tree = JSON.parse(await catalogueApi(shop).reader.categoriesJson(contextOf(shop))) as {
      items: unknown[];
    };
    assert.ok(tree.items.length > 0);
    assert.deepEqual(schemaViolations(CategoryTree, tree, 'categories'), []);
  });
});
