import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp, createMemoryCache, migrateAll, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import type { StockExposure } from '../src/schemas/common.js';
import { addProduct, reloadCatalogueIndex, type TestProduct } from './fixtures.js';
import { staffHeaders } from './staff.js';

/** Units on hand of the test product's variants: none, a few, exactly the cap, just over it, and a billion. */
const ON_HAND = [0, 7, 10, 11, 1_000_000_000];

/** What shoppers must see of `units` available under each exposure. */
function expected(exposure: StockExposure, units: number): Record<string, unknown> {
  if (exposure === 'exact') return { inStock: units > 0, available: units, moreAvailable: false };
  if (exposure === 'capped')
    return { inStock: units > 0, available: Math.min(units, 10), moreAvailable: units > 10 };
  return { inStock: units > 0 };
}

type Variant = Record<string, unknown> & { sku: string };

async function publicViews(shop: ShopApp, product: TestProduct) {
  const detail = await shop.app.inject({ url: `/api/catalogue/products/${product.slug}` });
  assert.equal(detail.statusCode, 200, detail.body);
  const listing = await shop.app.inject({ url: '/api/catalogue/products?limit=100' });
  assert.equal(listing.statusCode, 200, listing.body);
  const item = (listing.json() as { items: Array<{ id: string; variants: Variant[] }> }).items.find(
    (i) => i.id === product.id,
  )!;
  const stockRoute = await Promise.all(
    (detail.json() as { variants: Variant[] }).variants.map(async (v) => {
      const res = await shop.app.inject({ url: `/api/catalogue/stock/${v.sku}` });
      assert.equal(res.statusCode, 200, res.body);
      const { sku: _sku, ...stock } = res.json() as Variant;
      return stock;
    }),
  );
  return {
    detail: (detail.json() as { variants: Array<{ stock: Record<string, unknown> }> }).variants.map(
      (v) => v.stock,
    ),
    listing: item.variants.map(({ inStock, available, moreAvailable }) =>
      Object.fromEntries(
        Object.entries({ inStock, available, moreAvailable }).filter(([, value]) => value !== undefined),
      ),
    ),
    stockRoute,
  };
}

describeEachBackend('public stock exposure', (backend) => {
  const stocked = (shop: ShopApp) =>
    addProduct(shop, {
      name: 'Exposed Kettle',
      variants: ON_HAND.map((onHand) => ({ price: 1000, onHand })),
    });

  for (const exposure of ['exact', 'capped', 'status'] as const) {
    test(`with catalogue.stockExposure=${exposure}, product pages, listings and the stock route show stock alike, cached or not; staff see exact numbers`, async () => {
      const shop = await backend.buildApp({
        services: [catalogueService],
        config: { catalogue: { stockExposure: exposure } },
      });
      const product = await stocked(shop);
      const want = ON_HAND.map((units) => expected(exposure, units));
      for (const round of ['first read', 'cached read']) {
        const views = await publicViews(shop, product);
        assert.deepEqual(views.detail, want, `${round}: product page`);
        assert.deepEqual(views.listing, want, `${round}: listing`);
        assert.deepEqual(views.stockRoute, want, `${round}: stock route`);
      }
      const page = await shop.app.inject({ url: `/api/catalogue/products/${product.slug}` });
      assert.equal(page.body.includes('1000000000'), exposure === 'exact');

      const staff = await shop.app.inject({
        url: `/api/catalogue/admin/products/${product.id}`,
        headers: staffHeaders,
      });
      assert.deepEqual(
        (staff.json() as { variants: Array<{ stock: { available: number } }> }).variants.map(
          (v) => v.stock.available,
        ),
        ON_HAND,
      );
    });
  }

  test('shoppers see stock capped at 10 unless the store says otherwise', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    assert.equal(shop.config.catalogue.stockExposure, 'capped');
    const product = await stocked(shop);
    assert.deepEqual(
      (await publicViews(shop, product)).detail,
      ON_HAND.map((units) => expected('capped', units)),
    );
  });

  test('two stores sharing one cache and one catalogue each answer with their own exposure', async () => {
    const cache = createMemoryCache({ enabled: true, maxEntries: 1000, ttlMs: 60_000 });
    const schemaPrefix = backend.config().database.schemaPrefix;
    const open = async (exposure: StockExposure, first: boolean) => {
      const config = backend.config({ catalogue: { stockExposure: exposure }, database: { schemaPrefix } });
      const database = await backend.database(config);
      if (first) await migrateAll(database, [catalogueService]);
      return buildApp({ config, database, services: [catalogueService], cache });
    };
    const exact = await open('exact', true);
    const status = await open('status', false);
    try {
      const product = await stocked(exact);
      // Written behind both apps' backs, and only the first one was told.
      await reloadCatalogueIndex(status);
      const fromExact = await publicViews(exact, product);
      const fromStatus = await publicViews(status, product);
      assert.deepEqual(
        fromExact.detail,
        ON_HAND.map((units) => expected('exact', units)),
      );
      assert.deepEqual(
        fromStatus.detail,
        ON_HAND.map((units) => expected('status', units)),
      );
      assert.deepEqual(
        fromStatus.listing,
        ON_HAND.map((units) => expected('status', units)),
      );
    } finally {
      await exact.app.close();
      await status.app.close();
    }
  });
});
