import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend, staffHeadersFor } from '@shopstack/kernel/testing';
import type { ShippingQuote } from '../src/schemas/quote.js';
import { createMethod, createZone, freeCountries, outcomeOf, staffHeaders, unique } from './support.js';
import { buildShippingApp, createProduct, customerAt, openCart } from './carts.js';

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

  test("a customer's cart is quoted from the cart's parcel, free shipping judged on the subtotal after discounts", async () => {
    const product = await createProduct(shop, { price: 2_600, weightGrams: 600 });
    const { cartId, headers } = await openCart(shop, { customerId: 'c1' }, { ...product, quantity: 2 });
    const asCustomer = await customerAt('shipping', 'c1');
    const quoteCart = async () => {
      const res = await shop.app.inject({
        method: 'GET',
        url: `/api/shipping/quote?cartId=${cartId}&country=${country}`,
        headers: asCustomer,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as ShippingQuote;
    };
    const full = await quoteCart();
    assert.deepEqual(
      [full.cartId, full.weightGrams, full.subtotal],
      [cartId, 1_200, { amount: 5_200, currency }],
    );
    assert.deepEqual(
      full.methods.map((m) => [m.code, m.price.amount, m.free]),
      [
        ['standard', 0, true],
        ['express', 1_500, false],
      ],
    );

    const code = unique('SHIP300');
    const discount = await shop.app.inject({
      method: 'POST',
      url: '/api/cart/admin/discounts',
      headers: await staffHeadersFor('cart'),
      payload: { code, kind: 'fixed', value: 300 },
    });
    assert.equal(discount.statusCode, 201, discount.body);
    const applied = await shop.app.inject({
      method: 'POST',
      url: `/api/cart/${cartId}/discount`,
      headers,
      payload: { code },
    });
    assert.equal(applied.statusCode, 200, applied.body);
    const discounted = await quoteCart();
    assert.deepEqual(discounted.subtotal, { amount: 4_900, currency });
    assert.deepEqual(
      discounted.methods.map((m) => [m.code, m.price.amount, m.free]),
      [
        ['standard', 900, false],
        ['express', 1_500, false],
      ],
    );
  });

  test("a guest's cart is quoted with its X-Cart-Token; without it, with another, or as a customer, it is 404", async () => {
    const product = await createProduct(shop, { price: 1_000, weightGrams: 300 });
    const { cartId, headers } = await openCart(shop, 'guest', { ...product, quantity: 1 });
    const url = `/api/shipping/quote?cartId=${cartId}&country=${country}`;
    const guest = await shop.app.inject({ method: 'GET', url, headers });
    assert.equal(guest.statusCode, 200, guest.body);
    assert.deepEqual(
      (guest.json() as ShippingQuote).methods.map((m) => [m.code, m.price.amount]),
      [
        ['standard', 500],
        ['express', 1_500],
      ],
    );
    for (const other of [
      {},
      { 'x-cart-token': 'wrong-token-0123456789abcdefghijklmnopqrstuv' },
      await customerAt('shipping', 'c1'),
    ] as Array<Record<string, string>>) {
      const res = await shop.app.inject({ method: 'GET', url, headers: other });
      assert.deepEqual(outcomeOf(res), { status: 404, code: 'cart_not_found' }, JSON.stringify(other));
    }
  });

  test("another customer's cart and a cart that does not exist are both 404 cart_not_found", async () => {
    const product = await createProduct(shop, { price: 1_000, weightGrams: 300 });
    const { cartId } = await openCart(shop, { customerId: 'owner' }, { ...product, quantity: 1 });
    const asIntruder = await customerAt('shipping', 'intruder');
    for (const id of [cartId, 'no-such-cart']) {
      const res = await shop.app.inject({
        method: 'GET',
        url: `/api/shipping/quote?cartId=${id}&country=${country}`,
        headers: asIntruder,
      });
      assert.deepEqual(outcomeOf(res), { status: 404, code: 'cart_not_found' });
    }
  });

  test('the cart prices the shipping method a shopper chooses with these rates', async () => {
    const product = await createProduct(shop, { price: 1_500, weightGrams: 1_500 });
    const { cartId, headers } = await openCart(shop, { customerId: 'chooser' }, { ...product, quantity: 1 });
    const chosen = await shop.app.inject({
      method: 'PUT',
      url: `/api/cart/${cartId}/shipping`,
      headers,
      payload: { country, methodCode: 'express' },
    });
    assert.equal(chosen.statusCode, 200, chosen.body);
    const shipping = (chosen.json() as { shipping: { methodCode: string; price: number; free: boolean } })
      .shipping;
    assert.deepEqual([shipping.methodCode, shipping.price, shipping.free], ['express', 1_500, false]);
    // Four units weigh 6 kg: express's unbounded tier prices them at every read of the cart.
    const lineId = (chosen.json() as { lines: Array<{ id: string }> }).lines[0]!.id;
    const heavier = await shop.app.inject({
      method: 'PATCH',
      url: `/api/cart/${cartId}/lines/${lineId}`,
      headers,
      payload: { quantity: 4 },
    });
    assert.equal(heavier.statusCode, 200, heavier.body);
    assert.equal((heavier.json() as { shipping: { price: number } }).shipping.price, 3_000);
  });

  test("quotes are cached, yet show every staff change to a zone's countries, its methods and their tiers at once", async () => {
    const [there, elsewhere] = freeCountries(2) as [string, string];
    const zone = await createZone(shop, [there]);
    const method = await createMethod(shop, zone.id, { code: 'cached', tiers: [[null, 700]] });
    const offered = async (to: string) => {
      const res = await quote({ country: to, weightGrams: 500 });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as ShippingQuote).methods.map((m) => `${m.code}:${m.price.amount}`);
    };
    const staff = async (method: 'PATCH' | 'POST' | 'DELETE', url: string, payload?: object) => {
      const res = await shop.app.inject({
        method,
        url,
        headers: staffHeaders,
        ...(payload ? { payload } : {}),
      });
      assert.ok(res.statusCode < 300, res.body);
    };
    assert.deepEqual(await offered(there), ['cached:700']);
    assert.deepEqual(await offered(there), ['cached:700'], 'a second quote, from the cache, is the same');
    await staff('PATCH', `/api/shipping/admin/rates/${method.rates[0]!.id}`, {
      price: { amount: 650, currency },
    });
    assert.deepEqual(await offered(there), ['cached:650']);
    await staff('POST', `/api/shipping/admin/methods/${method.id}/rates`, {
      maxWeightGrams: 1_000,
      price: { amount: 400, currency },
    });
    assert.deepEqual(await offered(there), ['cached:400']);
    await staff('PATCH', `/api/shipping/admin/methods/${method.id}`, { code: 'renamed' });
    assert.deepEqual(await offered(there), ['renamed:400']);
    assert.deepEqual(await offered(elsewhere), []);
    await staff('PATCH', `/api/shipping/admin/zones/${zone.id}`, { countries: [elsewhere] });
    assert.deepEqual(await offered(there), []);
    assert.deepEqual(await offered(elsewhere), ['renamed:400']);
    await staff('DELETE', `/api/shipping/admin/methods/${method.id}`);
    assert.deepEqual(await offered(elsewhere), []);
  });
});
