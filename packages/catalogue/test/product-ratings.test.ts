import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { buildApp, serviceContext, type EventEnvelope, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend, type TestBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import type { StaffProduct, StaffProductPage } from '../src/schemas/admin.js';
import { eventually, listing, productPage, read } from './public-reads.js';
import { catalogueApi, createProduct, staffHeaders, unique } from './staff.js';

let events = 0;

/** A ProductRatingChanged event as the ratings service writes it. */
function ratingChanged(productId: string, average: number, count: number, seq: number): EventEnvelope {
  events += 1;
  return {
    id: `event-${process.pid}-${events}`,
    type: 'ProductRatingChanged',
    version: 1,
    store: 'demo',
    source: 'ratings',
    occurredAt: new Date().toISOString(),
    requestId: `test-${events}`,
    aggregate: productId,
    data: { productId, average, count, seq },
  };
}

/** Delivers an event to the catalogue's consumer as the bus would (outside any transaction of the test). */
async function deliver(shop: ShopApp, event: EventEnvelope): Promise<void> {
  const consumer = catalogueService.consumers?.find((c) => c.name === 'catalogue.product-ratings');
  assert.ok(consumer, 'the catalogue consumes ProductRatingChanged');
  assert.ok(consumer.events.includes(event.type));
  const ctx = serviceContext(shop.config.store, shop.logger, 'catalogue');
  // The handler reaches everything through the API; the runtime is the kernel's to pass.
  await consumer.handle(catalogueApi(shop), ctx, event, undefined as never);
}

async function staffProduct(shop: ShopApp, id: string): Promise<StaffProduct> {
  const res = await shop.app.inject({
    method: 'GET',
    url: `/api/catalogue/admin/products/${id}`,
    headers: staffHeaders,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as StaffProduct;
}

async function staffListed(shop: ShopApp, id: string) {
  const res = await shop.app.inject({
    method: 'GET',
    url: '/api/catalogue/admin/products?pageSize=100',
    headers: staffHeaders,
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as StaffProductPage).items.find((item) => item.id === id);
}

async function openBeside(backend: TestBackend, shop: ShopApp, t: TestContext): Promise<ShopApp> {
  const config = backend.config({ database: { schemaPrefix: shop.config.database.schemaPrefix } });
  const other = await buildApp({
    config,
    database: await backend.database(config),
    services: [catalogueService],
  });
  t.after(() => other.app.close());
  return other;
}

describeEachBackend('product ratings from ProductRatingChanged', (backend) => {
  test('a product carries its rating: zeros at first, then the announced one, with a new ETag everywhere it is shown', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const product = await createProduct(shop, {
      name: unique('Rated lamp'),
      variants: [{ sku: unique('RL'), onHand: 3 }],
    });
    const zero = { average: 0, count: 0 };
    assert.deepEqual((await productPage(shop, product.id)).rating, zero);
    assert.deepEqual((await staffProduct(shop, product.id)).rating, zero);
    assert.deepEqual(product.rating, zero);
    const before = await read(shop, `/products/${product.id}`);
    const listingBefore = await read(shop, '/products?limit=100');

    await deliver(shop, ratingChanged(product.id, 4.33, 3, 3));
    const rated = { average: 4.33, count: 3 };
    assert.deepEqual((await productPage(shop, product.id)).rating, rated);
    assert.deepEqual((await productPage(shop, product.slug)).rating, rated);
    const listed = (await listing(shop, { limit: 100 })).items.find((item) => item.id === product.id);
    assert.deepEqual(listed?.rating, rated);
    assert.deepEqual((await staffProduct(shop, product.id)).rating, rated);
    assert.deepEqual((await staffListed(shop, product.id))?.rating, rated);

    const after = await read(shop, `/products/${product.id}`);
    assert.notEqual(after.headers.etag, before.headers.etag);
    const stale = await read(shop, `/products/${product.id}`, {
      'if-none-match': String(before.headers.etag),
    });
    assert.equal(stale.statusCode, 200, 'the tag from before the rating no longer matches');
    const listingAfter = await read(shop, '/products?limit=100');
    assert.notEqual(listingAfter.headers.etag, listingBefore.headers.etag);
  });

  test('an announcement older than the stored one, or the same one again, changes nothing', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const product = await createProduct(shop, {
      name: unique('Rated mug'),
      variants: [{ sku: unique('RM'), onHand: 1 }],
    });
    await deliver(shop, ratingChanged(product.id, 4.5, 2, 5));
    const tag = (await read(shop, `/products/${product.id}`)).headers.etag;

    const sync = catalogueApi(shop).ratings;
    const ctx = serviceContext(shop.config.store, shop.logger, 'catalogue');
    assert.equal(await sync.apply(ctx, ratingChanged(product.id, 1, 1, 4)), false, 'older');
    assert.equal(await sync.apply(ctx, ratingChanged(product.id, 2, 7, 5)), false, 'same seq');
    assert.deepEqual((await productPage(shop, product.id)).rating, { average: 4.5, count: 2 });
    assert.equal((await read(shop, `/products/${product.id}`)).headers.etag, tag);

    assert.equal(await sync.apply(ctx, ratingChanged(product.id, 0, 0, 6)), true, 'newer');
    assert.deepEqual((await productPage(shop, product.id)).rating, { average: 0, count: 0 });
  });

  test('a rating for a product the catalogue does not have is kept, and a malformed event is refused', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    await deliver(shop, ratingChanged(unique('gone'), 3, 1, 1));
    const malformed = { ...ratingChanged('p1', 3, 1, 1), data: { productId: 'p1', average: 9 } };
    await assert.rejects(deliver(shop, malformed));
  });

  test(
    'another process serving the catalogue shows the new rating too',
    { skip: backend.kind === 'postgres' ? false : 'PGlite is opened by one process only' },
    async (t) => {
      const a = await backend.buildApp({ services: [catalogueService] });
      const b = await openBeside(backend, a, t);
      const product = await createProduct(a, {
        name: unique('Rated rug'),
        variants: [{ sku: unique('RR'), onHand: 1 }],
      });
      await eventually('B shows the product', async () => {
        assert.equal((await productPage(b, product.id)).id, product.id);
      });
      const tag = (await read(b, `/products/${product.id}`)).headers.etag;
      await deliver(a, ratingChanged(product.id, 3.5, 2, 1));
      await eventually('B shows the rating', async () => {
        assert.deepEqual((await productPage(b, product.id)).rating, { average: 3.5, count: 2 });
        assert.notEqual((await read(b, `/products/${product.id}`)).headers.etag, tag);
      });
    },
  );
});
