import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { catalogueApi, contextOf, createProduct, staffHeaders, unique } from './staff.js';

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

  const words = ['quixotrel', 'brambleton', 'fennimoxa', 'glowerpent', 'jubbertail', 'kestrovan'];
  /** A made-up word no other product of this file carries, so a search finds the product it names. */
  const word = () => words.shift()!;

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
});
