import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { CatalogueApi } from '../src/api.js';
import { catalogueService } from '../src/index.js';
import type { ProductListResponse } from '../src/schemas/product.js';
import {
  createCategory,
  listing,
  madeUpWord,
  productPage,
  staffCall,
  type ListParams,
} from './public-reads.js';
import { catalogueApi, contextOf, createProduct, staffHeaders, stockOf, unique } from './staff.js';

interface DetailBody {
  variants: Array<{
    sku: string;
    price: { amount: number };
    stock: { inStock: boolean; available?: number; moreAvailable?: boolean };
  }>;
}
interface ListBody {
  items: Array<{ id: string; variants: Array<{ sku: string; price: { amount: number } }> }>;
}

describeEachBackend('catalogue reads after writes', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
  });

  /** A made-up word no other product of this file carries, so a search finds the product it names. */
  const word = madeUpWord;

  const detail = async (slug: string) => {
    const res = await shop.app.inject({ url: `/api/catalogue/products/${slug}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as DetailBody;
  };
  const search = async (q: string) => {
    const res = await shop.app.inject({ url: `/api/catalogue/products?q=${q}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as ListBody;
  };

  test('a price changed through the staff API shows in the very next product page and search result', async () => {
    const term = word();
    const product = await createProduct(shop, {
      name: `Velvet ${term} cushion`,
      variants: [{ sku: unique('VC'), price: 2500, onHand: 5 }],
    });
    const variant = product.variants[0]!;

    assert.equal((await detail(product.slug)).variants[0]!.price.amount, 2500);
    assert.equal(
      (await search(term)).items.find((i) => i.id === product.id)?.variants[0]!.price.amount,
      2500,
    );

    const patched = await shop.app.inject({
      method: 'PATCH',
      url: `/api/catalogue/admin/variants/${variant.id}`,
      headers: staffHeaders,
      payload: { price: { amount: 1999, currency: 'EUR' } },
    });
    assert.equal(patched.statusCode, 200);

    assert.equal((await detail(product.slug)).variants[0]!.price.amount, 1999);
    assert.equal(
      (await search(term)).items.find((i) => i.id === product.id)?.variants[0]!.price.amount,
      1999,
    );
  });

  test('a reservation that takes the last units shows as out of stock in the very next read; release brings it back', async () => {
    const sku = unique('LAST');
    const product = await createProduct(shop, { name: `Lamp ${word()}`, variants: [{ sku, onHand: 2 }] });
    assert.deepEqual((await detail(product.slug)).variants[0]!.stock, {
      inStock: true,
      available: 2,
      moreAvailable: false,
    });
    await detail(product.slug);

    const orderRef = unique('order');
    await catalogueApi(shop).stock.reserve(contextOf(shop), { orderRef, lines: [{ sku, quantity: 2 }] });
    assert.deepEqual((await detail(product.slug)).variants[0]!.stock, {
      inStock: false,
      available: 0,
      moreAvailable: false,
    });

    await catalogueApi(shop).stock.release(contextOf(shop), orderRef);
    assert.deepEqual((await detail(product.slug)).variants[0]!.stock, {
      inStock: true,
      available: 2,
      moreAvailable: false,
    });

    const set = await shop.app.inject({
      method: 'PUT',
      url: `/api/catalogue/admin/stock/${sku}`,
      headers: staffHeaders,
      payload: { onHand: 0 },
    });
    assert.equal(set.statusCode, 200);
    assert.deepEqual((await detail(product.slug)).variants[0]!.stock, {
      inStock: false,
      available: 0,
      moreAvailable: false,
    });
  });

  test('a stock count that changes without selling out keeps every kept listing, and still shows on the next read', async () => {
    const sku = unique('KEEP');
    const product = await createProduct(shop, {
      name: `Keeper ${madeUpWord()}`,
      variants: [{ sku, price: 1200, onHand: 3 }],
    });
    const index = (shop.apis.get('catalogue') as CatalogueApi).index;
    const listingKey = index.listingKey;
    const adjusted = await shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/admin/stock/${sku}/adjust`,
      headers: staffHeaders,
      payload: { delta: 1 },
    });
    assert.equal(adjusted.statusCode, 200, adjusted.body);
    assert.equal(index.listingKey, listingKey, 'a stock count changed the key of every kept listing');
    const res = await shop.app.inject({ url: '/api/catalogue/products?sort=newest&limit=100' });
    const item = (res.json() as ProductListResponse).items.find((i) => i.id === product.id)!;
    assert.equal(item.variants[0]!.available, 4);

    const emptied = await shop.app.inject({
      method: 'PUT',
      url: `/api/catalogue/admin/stock/${sku}`,
      headers: staffHeaders,
      payload: { onHand: 0 },
    });
    assert.equal(emptied.statusCode, 200, emptied.body);
    assert.notEqual(index.listingKey, listingKey, 'selling out must change the in-stock facet of listings');
  });

  test('an import and an archive show in the very next read', async () => {
    const term = word();
    const product = await createProduct(shop, {
      name: `Basket ${term}`,
      variants: [{ sku: unique('BK'), price: 900 }],
    });
    assert.ok((await search(term)).items.some((i) => i.id === product.id));

    const imported = await shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/import',
      headers: staffHeaders,
      payload: [
        {
          slug: product.slug,
          name: `Basket ${term}`,
          variants: [{ sku: product.variants[0]!.sku, price: { amount: 700, currency: 'EUR' } }],
        },
      ],
    });
    assert.equal(imported.json().updated, 1);
    assert.equal((await detail(product.slug)).variants[0]!.price.amount, 700);

    const archived = await shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/admin/products/${product.id}/archive`,
      headers: staffHeaders,
    });
    assert.equal(archived.statusCode, 200);
    assert.equal((await shop.app.inject({ url: `/api/catalogue/products/${product.slug}` })).statusCode, 404);
    assert.ok(!(await search(term)).items.some((i) => i.id === product.id));
  });

  /** What shoppers see of `units` available under the default exposure (capped at 10). */
  const shown = (units: number) => ({
    inStock: units > 0,
    available: Math.min(units, 10),
    moreAvailable: units > 10,
  });
  const stockOfVariant = (v: { inStock: boolean; available?: number; moreAvailable?: boolean }) => ({
    inStock: v.inStock,
    available: v.available,
    moreAvailable: v.moreAvailable,
  });

  test('stock set, adjusted, reserved, released and committed through the staff API shows in the very next listing, search and product page', async () => {
    const term = word();
    const category = await createCategory(shop, { name: `Shelf ${unique('stock')}` });
    const sku = unique('LANTERN');
    const product = await createProduct(shop, {
      name: `Lantern ${term}`,
      categoryId: category.id,
      variants: [{ sku, onHand: 3 }],
    });
    // Always in stock, so counts of the category tell this product's part from the rest.
    await createProduct(shop, {
      name: `Candle ${madeUpWord()}`,
      categoryId: category.id,
      variants: [{ sku: unique('CANDLE'), onHand: 4 }],
    });

    const expectAvailable = async (step: string, units: number) => {
      const want = shown(units);
      const inCategory = await listing(shop, { category: category.slug });
      const item = inCategory.items.find((i) => i.id === product.id);
      assert.ok(item, `${step}: listed`);
      assert.deepEqual(stockOfVariant(item.variants[0]!), want, `${step}: listing variant`);
      assert.equal(item.inStock, want.inStock, `${step}: listing item`);
      assert.equal(inCategory.facets.inStock, want.inStock ? 2 : 1, `${step}: inStock facet`);

      const stocked = await listing(shop, { category: category.slug, inStock: true });
      assert.equal(stocked.total, want.inStock ? 2 : 1, `${step}: inStock=true total`);
      assert.equal(
        stocked.items.some((i) => i.id === product.id),
        want.inStock,
        `${step}: inStock=true items`,
      );
      const unstocked = await listing(shop, { category: category.slug, inStock: false });
      assert.deepEqual(
        unstocked.items.map((i) => i.id),
        want.inStock ? [] : [product.id],
        `${step}: inStock=false items`,
      );

      const found = await listing(shop, { q: term });
      const hit = found.items.find((i) => i.id === product.id);
      assert.ok(hit, `${step}: found by search`);
      assert.deepEqual(stockOfVariant(hit.variants[0]!), want, `${step}: search result variant`);
      assert.equal(found.facets.inStock, want.inStock ? 1 : 0, `${step}: search inStock facet`);

      assert.deepEqual((await detail(product.slug)).variants[0]!.stock, want, `${step}: product page`);
    };

    await expectAvailable('created', 3);
    await staffCall(shop, 'PUT', `/admin/stock/${sku}`, { onHand: 0 });
    await expectAvailable('set to 0', 0);
    await staffCall(shop, 'POST', `/admin/stock/${sku}/adjust`, { delta: 6 });
    await expectAvailable('adjusted by +6', 6);

    const all = unique('order');
    await staffCall(shop, 'POST', '/reservations', { orderRef: all, lines: [{ sku, quantity: 6 }] });
    await expectAvailable('all reserved', 0);
    await staffCall(shop, 'POST', `/reservations/${all}/release`);
    await expectAvailable('released', 6);

    const some = unique('order');
    await staffCall(shop, 'POST', '/reservations', { orderRef: some, lines: [{ sku, quantity: 2 }] });
    await expectAvailable('2 reserved', 4);
    await staffCall(shop, 'POST', `/reservations/${some}/commit`);
    // A sale takes the units it held: on hand falls, available does not move.
    assert.deepEqual(await stockOf(shop, sku), { onHand: 4, reserved: 0, available: 4 });
    await expectAvailable('committed', 4);

    await staffCall(shop, 'POST', `/admin/stock/${sku}/adjust`, { delta: 12 });
    await expectAvailable('adjusted by +12, past the cap', 16);
    await staffCall(shop, 'POST', `/admin/stock/${sku}/adjust`, { delta: -16 });
    await expectAvailable('adjusted by -16', 0);
  });

  test('a renamed product is found by its new word and no longer by its old one in the very next search', async () => {
    const oldWord = word();
    const newWord = word();
    const product = await createProduct(shop, {
      name: `Teapot ${oldWord}`,
      variants: [{ sku: unique('TP'), price: 1800, onHand: 1 }],
    });
    assert.deepEqual(
      (await search(oldWord)).items.map((i) => i.id),
      [product.id],
    );
    assert.deepEqual((await search(newWord)).items, []);

    await staffCall(shop, 'PATCH', `/admin/products/${product.id}`, { name: `Teapot ${newWord}` });

    const found = await listing(shop, { q: newWord });
    assert.deepEqual(
      found.items.map((i) => [i.id, i.name]),
      [[product.id, `Teapot ${newWord}`]],
    );
    const gone = await listing(shop, { q: oldWord });
    assert.deepEqual(gone.items, []);
    assert.equal(gone.total, 0);
    assert.equal((await productPage(shop, product.id)).name, `Teapot ${newWord}`);
  });

  test('a price change moves the product in price order, price filters and price facets on the very next read', async () => {
    const term = madeUpWord();
    const make = (name: string, price: number) =>
      createProduct(shop, {
        name: `${term} ${name}`,
        variants: [{ sku: unique('MUG'), price, onHand: 1 }],
      });
    const mover = await make('mug', 1000);
    const middle = await make('beaker', 2000);
    const dear = await make('tankard', 3000);
    const ids = async (params: ListParams) =>
      (await listing(shop, { q: term, ...params })).items.map((i) => i.id);
    /** Counts of the listing's price buckets, keyed by each bucket's lowest price. */
    const buckets = (page: ProductListResponse) =>
      Object.fromEntries(page.facets.priceRanges.filter((b) => b.count > 0).map((b) => [b.min, b.count]));

    assert.deepEqual(await ids({ sort: 'price' }), [mover.id, middle.id, dear.id]);
    assert.deepEqual(await ids({ sort: '-price' }), [dear.id, middle.id, mover.id]);
    assert.deepEqual(await ids({ minPrice: 2200, maxPrice: 2800 }), []);
    assert.deepEqual(await ids({ maxPrice: 1500 }), [mover.id]);
    assert.deepEqual(buckets(await listing(shop, { q: term })), { 0: 2, 2500: 1 });

    await staffCall(shop, 'PATCH', `/admin/variants/${mover.variants[0]!.id}`, {
      price: { amount: 2600, currency: 'EUR' },
    });

    assert.deepEqual(await ids({ sort: 'price' }), [middle.id, mover.id, dear.id]);
    assert.deepEqual(await ids({ sort: '-price' }), [dear.id, mover.id, middle.id]);
    assert.deepEqual(await ids({ minPrice: 2200, maxPrice: 2800 }), [mover.id]);
    assert.deepEqual(await ids({ maxPrice: 1500 }), []);
    const page = await listing(shop, { q: term, minPrice: 2500 });
    assert.equal(page.total, 2);
    assert.deepEqual(buckets(page), { 2500: 2 });
    assert.deepEqual(buckets(await listing(shop, { q: term })), { 0: 1, 2500: 2 });
    assert.deepEqual((await listing(shop, { q: term, sort: 'price' })).items[1]!.priceRange, {
      min: 2600,
      max: 2600,
      currency: 'EUR',
    });
    assert.deepEqual((await productPage(shop, mover.slug)).priceRange, {
      min: 2600,
      max: 2600,
      currency: 'EUR',
    });
  });
});
