import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import { cartService } from '../src/index.js';
import type { Cart } from '../src/schemas/cart.js';
import {
  cartRequest,
  cartStaff,
  catalogueAdmin,
  createProduct,
  customerHeaders,
  fakeShippingService,
  guestCart,
  unique,
  type TestProduct,
} from './support.js';
import { buildShop } from './topology.js';

const codeOf = (res: { json(): unknown }) => (res.json() as { code: string }).code;

describeEachBackend('carts', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildShop(backend, {
      services: [catalogueService, fakeShippingService, cartService],
      config: { catalogue: { stockExposure: 'exact' } },
    });
  });

  const line = (product: TestProduct, quantity: number) => ({
    productId: product.id,
    sku: product.variants[0]!.sku,
    quantity,
  });

  test('a guest cart opens with a token shown once; only that token opens it', async () => {
    const res = await cartRequest(shop, 'POST', '');
    assert.equal(res.statusCode, 201);
    const created = res.json() as Cart & { token: string };
    assert.match(created.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(created.customerId, null);
    const read = await cartRequest(shop, 'GET', `/${created.id}`, { token: created.token });
    assert.equal(read.statusCode, 200);
    assert.equal('token' in (read.json() as object), false);
    const other = await guestCart(shop);
    for (const caller of [
      {},
      { token: other.token },
      { headers: await customerHeaders('c-nosy') },
      { headers: cartStaff },
    ]) {
      const refused = await cartRequest(shop, 'GET', `/${created.id}`, caller);
      assert.equal(refused.statusCode, 404, refused.body);
      assert.equal(codeOf(refused), 'cart_not_found');
    }
    const missing = await cartRequest(shop, 'GET', '/no-such-cart', { token: created.token });
    assert.equal(codeOf(missing), 'cart_not_found');
  });

  test('a customer has one active cart; another customer gets 404 for it, as for one that does not exist', async () => {
    const a = await customerHeaders(unique('cust-a'));
    const b = await customerHeaders(unique('cust-b'));
    const first = await cartRequest(shop, 'POST', '', { headers: a });
    assert.equal(first.statusCode, 201);
    const cart = first.json() as Cart & { token: null };
    assert.equal(cart.token, null);
    const again = await cartRequest(shop, 'POST', '', { headers: a });
    assert.equal(again.statusCode, 200);
    assert.equal((again.json() as Cart).id, cart.id);
    assert.equal((await cartRequest(shop, 'GET', `/${cart.id}`, { headers: a })).statusCode, 200);
    for (const caller of [{ headers: b }, {}]) {
      for (const [method, url, payload] of [
        ['GET', `/${cart.id}`, undefined],
        ['POST', `/${cart.id}/lines`, { productId: 'x', sku: 'X', quantity: 1 }],
        ['POST', `/${cart.id}/discount`, { code: 'NOPE' }],
        ['DELETE', `/${cart.id}/discount`, undefined],
        ['GET', `/${cart.id}/parcel`, undefined],
      ] as const) {
        const res = await cartRequest(shop, method, url, caller, payload);
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
        assert.equal(codeOf(res), 'cart_not_found');
      }
    }
  });

  test('a customer is refused the staff routes (403) and anonymous callers are asked to sign in (401)', async () => {
    const customer = await customerHeaders(unique('cust'));
    for (const [method, url, payload] of [
      ['GET', '/admin/settings', undefined],
      ['PUT', '/admin/settings', { pricesIncludeTax: true, defaultCountry: null }],
      ['PUT', '/admin/tax-rates/DE', { rates: [{ taxClass: 'standard', rateBasisPoints: 0 }] }],
      ['POST', '/admin/discounts', { code: 'MINE', kind: 'fixed', value: 100000 }],
      ['GET', '/admin/discounts', undefined],
      ['POST', '/discount-redemptions', { code: 'MINE', orderRef: 'o-1' }],
    ] as const) {
      const forbidden = await cartRequest(shop, method, url, { headers: customer }, payload);
      assert.equal(forbidden.statusCode, 403, `${method} ${url}: ${forbidden.body}`);
      const anonymous = await cartRequest(shop, method, url, {}, payload);
      assert.equal(anonymous.statusCode, 401, `${method} ${url}: ${anonymous.body}`);
    }
    const list = await cartRequest(shop, 'GET', '/admin/discounts', { headers: cartStaff });
    assert.ok(!(list.json() as { items: Array<{ code: string }> }).items.some((d) => d.code === 'MINE'));
  });

  test('prices, totals and status sent by a client are refused and change nothing', async () => {
    const product = await createProduct(shop, [{ sku: unique('OWN'), price: 1250 }]);
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const added = (
      await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(product, 1))
    ).json() as Cart;
    const lineId = added.lines[0]!.id;
    const forged: Array<[string, string, object]> = [
      ['POST', `/${cart.id}/lines`, { ...line(product, 1), price: 1 }],
      ['POST', `/${cart.id}/lines`, { ...line(product, 1), unitPrice: { amount: 1, currency: 'EUR' } }],
      ['POST', `/${cart.id}/lines`, { ...line(product, 1), total: 0 }],
      ['PATCH', `/${cart.id}/lines/${lineId}`, { quantity: 3, price: 1 }],
      ['PATCH', `/${cart.id}/lines/${lineId}`, { quantity: 3, status: 'merged' }],
      ['PUT', `/${cart.id}/shipping`, { country: 'DE', methodCode: 'standard', price: 0 }],
      ['POST', `/${cart.id}/discount`, { code: 'X', amount: 1250 }],
    ];
    for (const [method, url, payload] of forged) {
      const res = await cartRequest(shop, method as 'POST', url, caller, payload);
      assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
      assert.equal(codeOf(res), 'validation');
    }
    const after = (await cartRequest(shop, 'GET', `/${cart.id}`, caller)).json() as Cart;
    assert.deepEqual(after, added);
    assert.equal(after.totals.total, 1250);
    // Opening a cart reads no body at all: a status or total sent along is ignored.
    const opened = await cartRequest(
      shop,
      'POST',
      '',
      {},
      { status: 'merged', totals: { total: 0 }, customerId: 'x' },
    );
    assert.equal(opened.statusCode, 201);
    assert.deepEqual([(opened.json() as Cart).status, (opened.json() as Cart).customerId], ['active', null]);
  });

  test('more units than the catalogue has available are refused with 409 out_of_stock, and nothing changes', async () => {
    const product = await createProduct(shop, [{ sku: unique('STOCK'), price: 500, onHand: 5 }]);
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const tooMany = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(product, 6));
    assert.equal(tooMany.statusCode, 409);
    assert.deepEqual(
      [codeOf(tooMany), (tooMany.json() as { available: number }).available],
      ['out_of_stock', 5],
    );
    const five = (
      await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(product, 5))
    ).json() as Cart;
    assert.equal(five.lines[0]!.quantity, 5);
    const more = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(product, 1));
    assert.equal(codeOf(more), 'out_of_stock');
    const raise = await cartRequest(shop, 'PATCH', `/${cart.id}/lines/${five.lines[0]!.id}`, caller, {
      quantity: 6,
    });
    assert.equal(codeOf(raise), 'out_of_stock');
    assert.deepEqual((await cartRequest(shop, 'GET', `/${cart.id}`, caller)).json(), five);
    // Stock that drops below the cart's quantity shows as a notice at the next read.
    await catalogueAdmin(shop, 'PUT', `/admin/stock/${product.variants[0]!.sku}`, { onHand: 2 });
    const read = (await cartRequest(shop, 'GET', `/${cart.id}`, caller)).json() as Cart;
    assert.deepEqual(
      read.notices.map((n) => n.code),
      ['out_of_stock'],
    );
    const fewer = await cartRequest(shop, 'PATCH', `/${cart.id}/lines/${five.lines[0]!.id}`, caller, {
      quantity: 2,
    });
    assert.deepEqual((fewer.json() as Cart).notices, []);
  });

  test('a product that is not on sale cannot be added, and one unpublished later counts for nothing', async () => {
    const draft = await createProduct(shop, [{ sku: unique('DRAFT'), price: 700 }], 'draft');
    const product = await createProduct(shop, [{ sku: unique('PUB'), price: 700 }]);
    const other = await createProduct(shop, [{ sku: unique('OTHER'), price: 100 }]);
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const refused = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(draft, 1));
    assert.deepEqual([refused.statusCode, codeOf(refused)], [422, 'product_unavailable']);
    const wrongVariant = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
      productId: product.id,
      sku: other.variants[0]!.sku,
      quantity: 1,
    });
    assert.deepEqual([wrongVariant.statusCode, codeOf(wrongVariant)], [422, 'variant_not_found']);
    const unnamed = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
      productId: product.id,
      quantity: 1,
    });
    assert.deepEqual([unnamed.statusCode, codeOf(unnamed)], [422, 'variant_required']);
    const unknown = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
      sku: unique('NOSUCH'),
      quantity: 1,
    });
    assert.deepEqual([unknown.statusCode, codeOf(unknown)], [422, 'product_unavailable']);
    // A SKU alone names the line; the product need not be named.
    const bySku = await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
      sku: other.variants[0]!.sku,
      quantity: 1,
    });
    assert.equal(bySku.statusCode, 200, bySku.body);
    await cartRequest(shop, 'DELETE', `/${cart.id}/lines/${(bySku.json() as Cart).lines[0]!.id}`, caller);
    await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(product, 2));
    await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(other, 1));
    await catalogueAdmin(shop, 'PATCH', `/admin/products/${product.id}`, { status: 'draft' });
    const read = (await cartRequest(shop, 'GET', `/${cart.id}`, caller)).json() as Cart;
    assert.deepEqual(
      read.lines.map((l) => [l.sku, l.available, l.total]),
      [
        [product.variants[0]!.sku, false, 0],
        [other.variants[0]!.sku, true, 100],
      ],
    );
    assert.deepEqual(
      [read.totals.subtotal, read.itemCount, read.notices.map((n) => n.code)],
      [100, 1, ['product_unavailable']],
    );
  });

  test('a catalogue price change shows in the totals at the next read', async () => {
    const product = await createProduct(shop, [{ sku: unique('PRICE'), price: 1000 }]);
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const before = (
      await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, line(product, 2))
    ).json() as Cart;
    assert.equal(before.totals.subtotal, 2000);
    await catalogueAdmin(shop, 'PATCH', `/admin/variants/${product.variants[0]!.id}`, {
      price: { amount: 1234, currency: 'EUR' },
    });
    const after = (await cartRequest(shop, 'GET', `/${cart.id}`, caller)).json() as Cart;
    assert.deepEqual([after.lines[0]!.unitPrice.amount, after.totals.subtotal], [1234, 2468]);
  });

  test('a cart idle for longer than 30 days answers cart_expired to its owner; a customer then gets a new one', async () => {
    const customer = await customerHeaders(unique('cust-idle'));
    const mine = (await cartRequest(shop, 'POST', '', { headers: customer })).json() as Cart;
    const guest = await guestCart(shop);
    const db = shop.database.db;
    const carts = sql.table(`${shop.database.schemaFor('cart')}.carts`);
    await sql`update ${carts} set updated_at = now() - interval '29 days' where id = ${guest.id}`.execute(db);
    assert.equal((await cartRequest(shop, 'GET', `/${guest.id}`, { token: guest.token })).statusCode, 200);
    await sql`update ${carts} set updated_at = now() - interval '31 days' where id in (${guest.id}, ${mine.id})`.execute(
      db,
    );
    const expired = await cartRequest(shop, 'GET', `/${guest.id}`, { token: guest.token });
    assert.deepEqual([expired.statusCode, codeOf(expired)], [404, 'cart_expired']);
    const stranger = await cartRequest(shop, 'GET', `/${guest.id}`);
    assert.equal(codeOf(stranger), 'cart_not_found');
    const add = await cartRequest(
      shop,
      'POST',
      `/${guest.id}/lines`,
      { token: guest.token },
      { productId: 'x', sku: 'X', quantity: 1 },
    );
    assert.equal(codeOf(add), 'cart_expired');
    assert.equal(
      codeOf(await cartRequest(shop, 'GET', `/${mine.id}`, { headers: customer })),
      'cart_expired',
    );
    const fresh = await cartRequest(shop, 'POST', '', { headers: customer });
    assert.equal(fresh.statusCode, 201);
    assert.notEqual((fresh.json() as Cart).id, mine.id);
  });

  test("a guest cart merges into the customer's cart at login: quantities summed and re-checked, the guest cart closed", async () => {
    const shirts = await createProduct(shop, [{ sku: unique('MERGE-S'), price: 1000, onHand: 50 }]);
    const mugs = await createProduct(shop, [{ sku: unique('MERGE-M'), price: 500, onHand: 5 }]);
    const socks = await createProduct(shop, [{ sku: unique('MERGE-K'), price: 300, onHand: 10 }]);
    const customer = await customerHeaders(unique('cust-merge'));
    const mine = (await cartRequest(shop, 'POST', '', { headers: customer })).json() as Cart;
    await cartRequest(shop, 'POST', `/${mine.id}/lines`, { headers: customer }, line(shirts, 1));
    await cartRequest(shop, 'POST', `/${mine.id}/lines`, { headers: customer }, line(mugs, 4));
    const guest = await guestCart(shop);
    const g = { token: guest.token };
    await cartRequest(shop, 'POST', `/${guest.id}/lines`, g, line(shirts, 2));
    await cartRequest(shop, 'POST', `/${guest.id}/lines`, g, line(mugs, 3));
    await cartRequest(shop, 'POST', `/${guest.id}/lines`, g, line(socks, 1));

    const anonymous = await cartRequest(shop, 'POST', `/${guest.id}/merge`, g);
    assert.deepEqual([anonymous.statusCode, codeOf(anonymous)], [401, 'authentication_required']);
    const staff = await cartRequest(shop, 'POST', `/${guest.id}/merge`, {
      token: guest.token,
      headers: cartStaff,
    });
    assert.equal(staff.statusCode, 403);
    const wrongToken = await cartRequest(shop, 'POST', `/${guest.id}/merge`, { headers: customer });
    assert.equal(codeOf(wrongToken), 'cart_not_found');

    const merged = await cartRequest(shop, 'POST', `/${guest.id}/merge`, {
      token: guest.token,
      headers: customer,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    const cart = merged.json() as Cart;
    assert.equal(cart.id, mine.id);
    assert.deepEqual(
      cart.lines.map((l) => [l.sku, l.quantity]),
      [
        [shirts.variants[0]!.sku, 3],
        [mugs.variants[0]!.sku, 5],
        [socks.variants[0]!.sku, 1],
      ],
    );
    assert.deepEqual(
      cart.notices.map((n) => n.code),
      ['out_of_stock'],
    );
    assert.equal(codeOf(await cartRequest(shop, 'GET', `/${guest.id}`, g)), 'cart_not_found');
    assert.deepEqual((await cartRequest(shop, 'GET', `/${mine.id}`, { headers: customer })).json(), {
      ...cart,
      notices: [],
    });
  });

  test('a customer without a cart takes the guest cart over at merge; its token opens it no more', async () => {
    const product = await createProduct(shop, [{ sku: unique('ADOPT'), price: 900 }]);
    const customer = await customerHeaders(unique('cust-new'));
    const guest = await guestCart(shop);
    await cartRequest(shop, 'POST', `/${guest.id}/lines`, { token: guest.token }, line(product, 2));
    const merged = await cartRequest(shop, 'POST', `/${guest.id}/merge`, {
      token: guest.token,
      headers: customer,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    const cart = merged.json() as Cart;
    assert.deepEqual([cart.id, cart.lines[0]!.quantity, cart.customerId !== null], [guest.id, 2, true]);
    assert.equal((await cartRequest(shop, 'GET', `/${guest.id}`, { token: guest.token })).statusCode, 404);
    assert.equal((await cartRequest(shop, 'POST', '', { headers: customer })).statusCode, 200);
  });

  test('a customer opening a cart while a guest cart is handed over still ends with one cart holding the guest lines', async () => {
    const product = await createProduct(shop, [{ sku: unique('RACE'), price: 500 }]);
    for (let round = 0; round < 10; round++) {
      const customer = await customerHeaders(unique('cust-race'));
      const guest = await guestCart(shop);
      await cartRequest(shop, 'POST', `/${guest.id}/lines`, { token: guest.token }, line(product, 1));
      const [merged, opened] = await Promise.all([
        cartRequest(shop, 'POST', `/${guest.id}/merge`, { token: guest.token, headers: customer }),
        cartRequest(shop, 'POST', '', { headers: customer }),
      ]);
      assert.equal(merged.statusCode, 200, merged.body);
      assert.ok(opened.statusCode === 200 || opened.statusCode === 201, opened.body);
      const mine = (await cartRequest(shop, 'POST', '', { headers: customer })).json() as Cart;
      assert.equal(mine.id, (merged.json() as Cart).id, 'one active cart');
      assert.deepEqual(
        mine.lines.map((l) => [l.sku, l.quantity]),
        [[product.variants[0]!.sku, 1]],
      );
    }
  });
});
