import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend, staffHeadersFor } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import { shippingService } from '@shopstack/shipping';
import { cartService } from '../src/index.js';
import type { Cart } from '../src/schemas/cart.js';
import { cartRequest, configureTax, createDiscount, createProduct, guestCart, unique } from './support.js';
import { buildShop } from './topology.js';

describeEachBackend('cart with the shipping service', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildShop(backend, { services: [catalogueService, shippingService, cartService] });
    const staff = await staffHeadersFor('shipping');
    const zone = await shop.app.inject({
      method: 'POST',
      url: '/api/shipping/admin/zones',
      headers: staff,
      payload: { name: 'Domestic', countries: ['DE'] },
    });
    assert.equal(zone.statusCode, 201, zone.body);
    const method = await shop.app.inject({
      method: 'POST',
      url: `/api/shipping/admin/zones/${(zone.json() as { id: string }).id}/methods`,
      headers: staff,
      payload: {
        code: 'standard',
        name: 'Standard',
        freeShippingThreshold: { amount: 5000, currency: 'EUR' },
        rates: [{ maxWeightGrams: null, price: { amount: 490, currency: 'EUR' } }],
      },
    });
    assert.equal(method.statusCode, 201, method.body);
  });

  test('add to cart, apply a code, choose a real shipping method: totals exact, free over the threshold', async () => {
    await configureTax(
      shop,
      { pricesIncludeTax: true, defaultCountry: 'DE' },
      { DE: [{ taxClass: 'standard', rateBasisPoints: 1900 }] },
    );
    const product = await createProduct(shop, [{ sku: unique('E2E'), price: 1999, weightGrams: 300 }]);
    const code = await createDiscount(shop, { code: unique('E2E'), kind: 'fixed', value: 500 });
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const added = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
      productId: product.id,
      sku: product.variants[0]!.sku,
      quantity: 2,
    });
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(
      (await cartRequest(shop, 'POST', `/${cart.id}/discount`, caller, { code: code.code })).statusCode,
      200,
    );
    const nowhere = await cartRequest(shop, 'PUT', `/${cart.id}/shipping`, caller, {
      country: 'JP',
      methodCode: 'standard',
    });
    assert.deepEqual(
      [nowhere.statusCode, (nowhere.json() as { code: string }).code],
      [422, 'shipping_destination_unsupported'],
    );
    const chosen = await cartRequest(shop, 'PUT', `/${cart.id}/shipping`, caller, {
      country: 'DE',
      methodCode: 'standard',
    });
    assert.equal(chosen.statusCode, 200, chosen.body);
    let read = chosen.json() as Cart;
    // 39.98 - 5.00 = 34.98 gross holds 34.98 - round(29.395) = 5.59; shipping 4.90 holds 0.78.
    assert.deepEqual(read.totals, {
      currency: 'EUR',
      pricesIncludeTax: true,
      taxCountry: 'DE',
      subtotal: 3998,
      discount: 500,
      shipping: 490,
      tax: 637,
      total: 3988,
    });
    const more = await cartRequest(shop, 'PATCH', `/${cart.id}/lines/${read.lines[0]!.id}`, caller, {
      quantity: 3,
    });
    read = more.json() as Cart;
    // 59.97 - 5.00 = 54.97 is over the 50.00 threshold: shipping is free.
    assert.deepEqual([read.shipping?.free, read.totals.shipping, read.totals.total], [true, 0, 5497]);
  });
});
