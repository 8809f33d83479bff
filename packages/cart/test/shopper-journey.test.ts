import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import { shippingService } from '@shopstack/shipping';
import { usersService } from '@shopstack/users';
import { cartService } from '../src/index.js';
import type { Cart } from '../src/schemas/cart.js';
import { unique } from './support.js';

/**
 * A shopper's whole way through the shop, every step through HTTP and real tokens: the demo store
 * is seeded (its first admin, VAT rates, the welcome code, shipping zones), staff sign in and list a
 * product, a customer registers, signs in, fills a cart, applies the code, quotes shipping and
 * chooses it, and the totals are exact, with VAT-inclusive prices and then VAT-exclusive ones.
 */
describeEachBackend('shopper journey: register, sign in, cart, code, shipping', (backend) => {
  let shop: ShopApp;
  const reports: string[] = [];
  before(async () => {
    shop = await backend.buildApp({
      services: [usersService, catalogueService, shippingService, cartService],
      config: { catalogue: { stockExposure: 'exact' } },
      seed: { products: 0, ifEmpty: true, report: (m) => reports.push(m) },
    });
  });

  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    token?: string,
    payload?: object,
  ) {
    const res = await shop.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  }

  test('totals are exact with VAT-inclusive and VAT-exclusive prices', async () => {
    // The seeded admin, whose credentials the new store reported once.
    const admin = /Staff admin: (\S+) \/ (\S+)/.exec(reports.join('\n'));
    assert.ok(admin, reports.join('\n'));
    const staff = await call('POST', '/api/users/login', undefined, { email: admin[1], password: admin[2] });
    const staffToken = staff.accessToken as string;
    const sku = unique('JOURNEY');
    await call('POST', '/api/catalogue/admin/products', staffToken, {
      name: unique('Journey jacket'),
      status: 'published',
      variants: [{ sku, price: { amount: 2999, currency: 'EUR' }, onHand: 5, weightGrams: 500 }],
    });

    const email = `${unique('shopper')}@example.com`;
    const registered = await call('POST', '/api/users/register', undefined, {
      email,
      password: 'a long enough password',
      name: 'Sam Shopper',
    });
    assert.ok(registered.accessToken);
    const login = await call('POST', '/api/users/login', undefined, {
      email,
      password: 'a long enough password',
    });
    const customer = login.accessToken as string;

    const cart = (await call('POST', '/api/cart', customer)) as unknown as Cart;
    assert.equal(cart.customerId, (registered.user as { id: string }).id);
    await call('POST', `/api/cart/${cart.id}/lines`, customer, { sku, quantity: 1 });
    await call('POST', `/api/cart/${cart.id}/discount`, customer, { code: 'WELCOME10' });

    const quote = await call('GET', `/api/shipping/quote?cartId=${cart.id}&country=DE`, customer);
    const methods = quote.methods as Array<{ code: string; price: { amount: number }; free: boolean }>;
    assert.deepEqual(
      methods.map((m) => [m.code, m.price.amount, m.free]),
      [
        ['standard', 490, false],
        ['express', 990, false],
      ],
    );
    const chosen = (await call('PUT', `/api/cart/${cart.id}/shipping`, customer, {
      country: 'DE',
      methodCode: 'standard',
    })) as unknown as Cart;

    // Inclusive (the demo store): 10% of 29.99 is 3.00 (half up); 26.99 holds 4.31 of 19% VAT
    // (26.99 - round(26.99 / 1.19)), the 4.90 shipping 0.78; the total is what the shopper pays.
    assert.deepEqual(chosen.totals, {
      ...chosen.totals,
      currency: 'EUR',
      pricesIncludeTax: true,
      taxCountry: 'DE',
      subtotal: 2999,
      discount: 300,
      shipping: 490,
      tax: 509,
      total: 3189,
    });

    // Exclusive: the same prices are net; VAT comes on top: round(26.99 x 19%) + round(4.90 x 19%).
    await call('PUT', '/api/cart/admin/settings', staffToken, {
      pricesIncludeTax: false,
      defaultCountry: 'DE',
    });
    const net = (await call('GET', `/api/cart/${cart.id}`, customer)) as unknown as Cart;
    assert.deepEqual(net.totals, {
      ...net.totals,
      pricesIncludeTax: false,
      subtotal: 2999,
      discount: 300,
      shipping: 490,
      tax: 513 + 93,
      total: 2999 - 300 + 490 + 606,
    });

    // Another customer cannot see the cart.
    const other = await call('POST', '/api/users/register', undefined, {
      email: `${unique('other')}@example.com`,
      password: 'another long password',
      name: 'Other',
    });
    const peek = await shop.app.inject({
      method: 'GET',
      url: `/api/cart/${cart.id}`,
      headers: { authorization: `Bearer ${other.accessToken as string}` },
    });
    assert.equal(peek.statusCode, 404);
  });
});
