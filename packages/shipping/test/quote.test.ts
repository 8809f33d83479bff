import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { actAs, describeEachBackend } from '@shopstack/kernel/testing';
import type { ShippingQuote } from '../src/schemas/quote.js';
import {
  buildShippingApp,
  createMethod,
  createZone,
  fakeCarts,
  freeCountries,
  outcomeOf,
  unique,
} from './support.js';

describeEachBackend('shipping quotes', (backend) => {
  let shop: ShopApp;
  let currency: string;
  /** Standard: up to 1 kg 5.00, up to 5 kg 9.00, free from 50.00. Express: up to 2 kg 15.00, heavier 30.00. */
  let country: string;
  before(async () => {
    shop = await buildShippingApp(backend);
    currency = shop.config.store.currency;
    [country] = freeCountries(1) as [string];
    const zone = await createZone(shop, [country]);
    await createMethod(shop, zone.id, {
      code: 'standard',
      freeFrom: 5_000,
      estimatedDays: { minDays: 2, maxDays: 4 },
      tiers: [
        [1_000, 500],
        [5_000, 900],
      ],
    });
    await createMethod(shop, zone.id, {
      code: 'express',
      name: 'Express',
      tiers: [
        [2_000, 1_500],
        [null, 3_000],
      ],
    });
  });

  const quote = async (parcel: {
    country: string;
    weightGrams: number;
    subtotal?: number;
    currency?: string;
  }) => {
    const res = await shop.app.inject({
      method: 'POST',
      url: '/api/shipping/quote',
      payload: {
        country: parcel.country,
        weightGrams: parcel.weightGrams,
        subtotal: { amount: parcel.subtotal ?? 1_000, currency: parcel.currency ?? currency },
      },
    });
    return res;
  };
  /** code: price (free marked with !) of each method offered, cheapest first. */
  const prices = async (weightGrams: number, subtotal = 1_000) => {
    const res = await quote({ country, weightGrams, subtotal });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as ShippingQuote).methods.map(
      (m) => `${m.code}:${m.price.amount}${m.free ? '!' : ''}`,
    );
  };

  test('a tier prices parcels up to and including its maximum; one gram more takes the next tier', async () => {
    assert.deepEqual(await prices(0), ['standard:500', 'express:1500']);
    assert.deepEqual(await prices(1_000), ['standard:500', 'express:1500']);
    assert.deepEqual(await prices(1_001), ['standard:900', 'express:1500']);
    assert.deepEqual(await prices(2_000), ['standard:900', 'express:1500']);
    assert.deepEqual(await prices(2_001), ['standard:900', 'express:3000']);
    assert.deepEqual(await prices(5_000), ['standard:900', 'express:3000']);
  });

  test('a parcel heavier than every tier of a method gets no price from it; the unbounded tier takes any weight', async () => {
    assert.deepEqual(await prices(5_001), ['express:3000']);
    assert.deepEqual(await prices(2_000_000_000), ['express:3000']);
  });

  test('a subtotal exactly at the free-shipping threshold ships free; one unit below pays', async () => {
    assert.deepEqual(await prices(500, 5_000), ['standard:0!', 'express:1500']);
    assert.deepEqual(await prices(500, 4_999), ['standard:500', 'express:1500']);
    assert.deepEqual(await prices(5_000, 5_000), ['standard:0!', 'express:3000']);
    // Free shipping does not make a parcel too heavy for every tier shippable.
    assert.deepEqual(await prices(5_001, 1_000_000), ['express:3000']);
  });

  test('a quote names each method with its price in the store currency and its delivery estimate', async () => {
    const res = await quote({ country, weightGrams: 800, subtotal: 2_500 });
    const body = res.json() as ShippingQuote;
    assert.deepEqual(
      { ...body, methods: body.methods.map(({ methodId: _id, ...m }) => m) },
      {
        country,
        weightGrams: 800,
        subtotal: { amount: 2_500, currency },
        methods: [
          {
            code: 'standard',
            name: 'Standard',
            price: { amount: 500, currency },
            free: false,
            estimatedDays: { minDays: 2, maxDays: 4 },
          },
          { code: 'express', name: 'Express', price: { amount: 1_500, currency }, free: false },
        ],
      },
    );
  });

  test('a country in no zone gets 200 with no methods; a code that is no country gets 422', async () => {
    const [unserved] = freeCountries(1) as [string];
    const res = await quote({ country: unserved, weightGrams: 100 });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((res.json() as ShippingQuote).methods, []);
    const unknown = await quote({ country: 'XX', weightGrams: 100 });
    assert.deepEqual(outcomeOf(unknown), { status: 422, code: 'unknown_country' });
    assert.equal((unknown.json() as { field: string }).field, 'country');
    assert.equal((await quote({ country: country.toLowerCase(), weightGrams: 100 })).statusCode, 400);
  });

  test('a subtotal in another currency than the store sells in is refused with 422', async () => {
    const res = await quote({ country, weightGrams: 100, currency: currency === 'USD' ? 'EUR' : 'USD' });
    assert.deepEqual(outcomeOf(res), { status: 422, code: 'currency_mismatch' });
    assert.equal((res.json() as { field: string }).field, 'subtotal.currency');
  });

  test("a customer's cart is quoted from the cart service's parcel, free shipping judged on the discounted subtotal", async () => {
    const cartId = unique('cart');
    fakeCarts.set(cartId, {
      customerId: 'c1',
      parcel: {
        cartId,
        currency,
        subtotal: 6_000,
        discountedSubtotal: 4_999,
        weightGrams: 1_200,
        itemCount: 3,
      },
    });
    const res = await shop.app.inject({
      method: 'GET',
      url: `/api/shipping/quote?cartId=${cartId}&country=${country}`,
      headers: { authorization: `Bearer ${await actAs({ kind: 'customer', id: 'c1' }, 'shipping')}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as ShippingQuote;
    assert.deepEqual(
      [body.cartId, body.weightGrams, body.subtotal],
      [cartId, 1_200, { amount: 4_999, currency }],
    );
    assert.deepEqual(
      body.methods.map((m) => [m.code, m.price.amount, m.free]),
      [
        ['standard', 900, false],
        ['express', 1_500, false],
      ],
    );
  });

  test("a guest's cart is quoted with its X-Cart-Token; without it, or as another customer, the cart is 404", async () => {
    const cartId = unique('cart');
    fakeCarts.set(cartId, {
      token: 'guest-secret-token',
      parcel: {
        cartId,
        currency,
        subtotal: 5_000,
        discountedSubtotal: 5_000,
        weightGrams: 300,
        itemCount: 1,
      },
    });
    const url = `/api/shipping/quote?cartId=${cartId}&country=${country}`;
    const guest = await shop.app.inject({
      method: 'GET',
      url,
      headers: { 'x-cart-token': 'guest-secret-token' },
    });
    assert.equal(guest.statusCode, 200, guest.body);
    assert.deepEqual(
      (guest.json() as ShippingQuote).methods.map((m) => [m.code, m.price.amount, m.free]),
      [
        ['standard', 0, true],
        ['express', 1_500, false],
      ],
    );

    const otherCustomer = `Bearer ${await actAs({ kind: 'customer', id: 'c2' }, 'shipping')}`;
    for (const headers of [{}, { 'x-cart-token': 'wrong-token' }, { authorization: otherCustomer }] as Array<
      Record<string, string>
    >) {
      const res = await shop.app.inject({ method: 'GET', url, headers });
      assert.deepEqual(outcomeOf(res), { status: 404, code: 'cart_not_found' }, JSON.stringify(headers));
    }
  });

  test("another customer's cart and a cart that does not exist are both 404 cart_not_found", async () => {
    const cartId = unique('cart');
    fakeCarts.set(cartId, {
      customerId: 'owner',
      parcel: { cartId, currency, subtotal: 100, discountedSubtotal: 100, weightGrams: 100, itemCount: 1 },
    });
    const asIntruder = {
      authorization: `Bearer ${await actAs({ kind: 'customer', id: 'intruder' }, 'shipping')}`,
    };
    for (const id of [cartId, 'no-such-cart']) {
      const res = await shop.app.inject({
        method: 'GET',
        url: `/api/shipping/quote?cartId=${id}&country=${country}`,
        headers: asIntruder,
      });
      assert.deepEqual(outcomeOf(res), { status: 404, code: 'cart_not_found' });
    }
  });
});
