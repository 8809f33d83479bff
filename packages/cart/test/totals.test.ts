import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import { cartService } from '../src/index.js';
import type { Cart } from '../src/schemas/cart.js';
import {
  cartRequest,
  configureTax,
  createDiscount,
  createProduct,
  fakeShippingService,
  guestCart,
  unique,
} from './support.js';
import { buildShop } from './topology.js';

describeEachBackend('cart totals', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildShop(backend, { services: [catalogueService, fakeShippingService, cartService] });
  });

  /** A guest cart with 3 x 3.33 (100 g each) and 1 x 10.00 (500 g), the code SAVE10-... (10%) and DE standard shipping. */
  async function fullCart(): Promise<Cart> {
    const a = await createProduct(shop, [{ sku: unique('TOT-A'), price: 333, weightGrams: 100 }]);
    const b = await createProduct(shop, [{ sku: unique('TOT-B'), price: 1000, weightGrams: 500 }]);
    const code = unique('SAVE10');
    await createDiscount(shop, { code, kind: 'percentage', value: 1000 });
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const lines = [
      { productId: a.id, sku: a.variants[0]!.sku, quantity: 2 },
      { productId: a.slug, variantId: a.variants[0]!.id, quantity: 1 },
      { productId: b.id, sku: b.variants[0]!.sku, quantity: 1 },
    ];
    for (const line of lines) {
      const res = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line);
      assert.equal(res.statusCode, 200, res.body);
    }
    assert.equal((await cartRequest(shop, 'POST', `/${cart.id}/discount`, caller, { code })).statusCode, 200);
    const res = await cartRequest(shop, 'PUT', `/${cart.id}/shipping`, caller, {
      country: 'DE',
      methodCode: 'standard',
    });
    assert.equal(res.statusCode, 200, res.body);
    const read = await cartRequest(shop, 'GET', `/${cart.id}`, caller);
    assert.equal(read.statusCode, 200, read.body);
    const body = read.json() as Cart;
    assert.deepEqual(body, res.json());
    return body;
  }

  const figures = (cart: Cart) => ({
    lines: cart.lines.map((l) => [l.quantity, l.subtotal, l.discount, l.tax, l.total]),
    shipping: cart.shipping && [cart.shipping.price, cart.shipping.tax],
    totals: cart.totals,
  });

  test('tax-exclusive store: add lines, apply a code, choose shipping; every figure exact', async () => {
    await configureTax(
      shop,
      { pricesIncludeTax: false, defaultCountry: 'DE' },
      { DE: [{ taxClass: 'standard', rateBasisPoints: 1900 }] },
    );
    const cart = await fullCart();
    // Subtotal 19.99; 10% off = 2.00 (1.999 rounded half up), split 1.00 / 1.00 by largest remainder;
    // tax per line 19% of 8.99 = 1.7081 -> 1.71 and of 9.00 = 1.71; shipping 4.90, its tax 0.931 -> 0.93.
    assert.deepEqual(figures(cart), {
      lines: [
        [3, 999, 100, 171, 1070],
        [1, 1000, 100, 171, 1071],
      ],
      shipping: [490, 93],
      totals: {
        currency: 'EUR',
        pricesIncludeTax: false,
        taxCountry: 'DE',
        subtotal: 1999,
        discount: 200,
        shipping: 490,
        tax: 435,
        total: 2724,
      },
    });
    assert.equal(cart.itemCount, 4);
    assert.equal(cart.weightGrams, 800);
    assert.deepEqual(cart.discount && [cart.discount.applicable, cart.discount.amount], [true, 200]);
  });

  test('tax-inclusive store: the same cart; tax is taken out of gross prices', async () => {
    await configureTax(shop, { pricesIncludeTax: true, defaultCountry: 'DE' });
    const cart = await fullCart();
    // 8.99 gross holds 8.99 - round(8.99 / 1.19) = 8.99 - 7.55 = 1.44; 9.00 -> 1.44; 4.90 -> 4.90 - 4.12 = 0.78.
    assert.deepEqual(figures(cart), {
      lines: [
        [3, 999, 100, 144, 899],
        [1, 1000, 100, 144, 900],
      ],
      shipping: [490, 78],
      totals: {
        currency: 'EUR',
        pricesIncludeTax: true,
        taxCountry: 'DE',
        subtotal: 1999,
        discount: 200,
        shipping: 490,
        tax: 366,
        total: 2289,
      },
    });
  });

  test('3 x 3.33 at 19% and at 7.7%, tax-exclusive and tax-inclusive, rounded once per line', async () => {
    const product = await createProduct(shop, [{ sku: unique('AWK'), price: 333 }]);
    const cart = await guestCart(shop);
    const add = await cartRequest(
      shop,
      'POST',
      `/${cart.id}/lines`,
      { token: cart.token },
      {
        productId: product.id,
        sku: product.variants[0]!.sku,
        quantity: 3,
      },
    );
    assert.equal(add.statusCode, 200, add.body);
    const cases: Array<[boolean, number, number, number]> = [
      [false, 1900, 190, 1189],
      [false, 770, 77, 1076],
      [true, 1900, 160, 999],
      [true, 770, 71, 999],
    ];
    for (const [inclusive, rate, tax, total] of cases) {
      await configureTax(
        shop,
        { pricesIncludeTax: inclusive, defaultCountry: 'CH' },
        { CH: [{ taxClass: 'standard', rateBasisPoints: rate }] },
      );
      const read = (await cartRequest(shop, 'GET', `/${cart.id}`, { token: cart.token })).json() as Cart;
      assert.deepEqual(
        [read.totals.tax, read.totals.total, read.lines[0]!.taxRateBasisPoints],
        [tax, total, rate],
        `${inclusive} ${rate}`,
      );
    }
  });

  test('the destination country picks the tax rate; without one the default country does, and without that no tax', async () => {
    await configureTax(
      shop,
      { pricesIncludeTax: false, defaultCountry: 'DE' },
      {
        DE: [{ taxClass: 'standard', rateBasisPoints: 1900 }],
        AT: [
          { taxClass: 'standard', rateBasisPoints: 2000 },
          { taxClass: 'reduced', rateBasisPoints: 1000 },
        ],
      },
    );
    const product = await createProduct(shop, [{ sku: unique('DEST'), price: 1000 }]);
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
      productId: product.id,
      sku: product.variants[0]!.sku,
      quantity: 1,
    });
    let read = (await cartRequest(shop, 'GET', `/${cart.id}`, caller)).json() as Cart;
    assert.deepEqual([read.totals.taxCountry, read.totals.tax], ['DE', 190]);
    const chosen = await cartRequest(shop, 'PUT', `/${cart.id}/shipping`, caller, {
      country: 'AT',
      methodCode: 'express',
    });
    read = chosen.json() as Cart;
    // Goods 10.00 at 20% = 2.00; express 9.90 at AT's standard 20% = 1.98.
    assert.deepEqual(
      [read.totals.taxCountry, read.totals.tax, read.totals.shipping, read.totals.total],
      ['AT', 398, 990, 2388],
    );
    await configureTax(shop, { pricesIncludeTax: false, defaultCountry: null });
    const other = await guestCart(shop);
    await cartRequest(
      shop,
      'POST',
      `/${other.id}/lines`,
      { token: other.token },
      { productId: product.id, sku: product.variants[0]!.sku, quantity: 1 },
    );
    read = (await cartRequest(shop, 'GET', `/${other.id}`, { token: other.token })).json() as Cart;
    assert.deepEqual([read.totals.taxCountry, read.totals.tax, read.totals.total], [null, 0, 1000]);
  });

  test('shipping is free over the threshold shipping answers with, and re-quoted as the cart changes', async () => {
    await configureTax(
      shop,
      { pricesIncludeTax: true, defaultCountry: 'DE' },
      { DE: [{ taxClass: 'standard', rateBasisPoints: 1900 }] },
    );
    const product = await createProduct(shop, [{ sku: unique('FREE'), price: 2500 }]);
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const added = (
      await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
        productId: product.id,
        sku: product.variants[0]!.sku,
        quantity: 1,
      })
    ).json() as Cart;
    let read = (
      await cartRequest(shop, 'PUT', `/${cart.id}/shipping`, caller, {
        country: 'FR',
        methodCode: 'standard',
      })
    ).json() as Cart;
    assert.deepEqual([read.shipping?.free, read.totals.shipping, read.totals.total], [false, 490, 2990]);
    read = (
      await cartRequest(shop, 'PATCH', `/${cart.id}/lines/${added.lines[0]!.id}`, caller, { quantity: 2 })
    ).json() as Cart;
    assert.deepEqual([read.shipping?.free, read.totals.shipping, read.totals.total], [true, 0, 5000]);
  });
});
