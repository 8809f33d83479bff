import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { CheckoutResult, Order, OrderList } from '../src/index.js';
import {
  buildCheckoutShop,
  CARDS,
  cardToken,
  cartStaff,
  cartWith,
  catalogueStaff,
  checkout,
  countRows,
  createProduct,
  customerHeaders,
  ordersStaff,
  placeOrder,
  setUpShipping,
  stockOf,
  unique,
} from './support.js';

interface Problem {
  code: string;
  status: number;
  sku?: string;
}

describeEachBackend('checkout', (backend) => {
  let shop: ShopApp;
  let methodId: string;
  before(async () => {
    shop = await buildCheckoutShop(backend, {
      config: { log: { level: process.env.DEBUG_LOG ? 'warn' : 'silent' } },
    });
    methodId = (await setUpShipping(shop)).standard;
  });

  /** No reservation held, no authorization open, no order left pending for a checkout reference. */
  async function nothingHeldFor(sku: string, onHand: number) {
    const stock = await stockOf(shop, sku);
    assert.deepEqual([stock.onHand, stock.reserved, stock.available], [onHand, 0, onHand]);
    assert.equal(await countRows(shop, 'payment', 'payment_intents', sql`status = 'authorized'`), 0);
    assert.equal(await countRows(shop, 'orders', 'orders', sql`status = 'pending'`), 0);
    assert.equal(await countRows(shop, 'orders', 'checkouts', sql`status = 'running'`), 0);
  }

  test('a guest checks out with the success card: a paid order, stock committed, cart completed', async () => {
    const sku = unique('GUEST');
    await createProduct(shop, [{ sku, price: 2500, onHand: 5 }]);
    const cart = await cartWith(shop, [{ sku, quantity: 2 }]);
    const order = await placeOrder(shop, cart, { methodId });
    assert.equal(order.status, 'paid');
    assert.equal(order.customerId, null);
    assert.equal(order.lines[0]!.sku, sku);
    assert.equal(order.lines[0]!.quantity, 2);
    assert.equal(order.totals.subtotal, 5000);
    assert.equal(order.totals.shipping, 490);
    assert.equal(
      order.totals.total,
      order.totals.subtotal -
        order.totals.discount +
        order.totals.shipping +
        (order.totals.pricesIncludeTax ? 0 : order.totals.tax),
    );
    assert.deepEqual(
      order.timeline.map((t) => [t.from, t.to]),
      [
        [null, 'pending'],
        ['pending', 'paid'],
      ],
    );
    assert.equal(order.payment?.cardLast4, '4242');
    assert.ok(order.accessKey, 'a guest gets a key to the order');

    const stock = await stockOf(shop, sku);
    assert.deepEqual([stock.onHand, stock.reserved, stock.available], [3, 0, 3]);
    // One authorization and one capture, both succeeded.
    const intentId = order.payment!.intentId;
    assert.equal(
      await countRows(
        shop,
        'payment',
        'payment_attempts',
        sql`intent_id = ${intentId} and outcome = 'succeeded'`,
      ),
      2,
    );
    // The cart is done: it takes nothing more.
    const more = await shop.app.inject({
      method: 'POST',
      url: `/api/cart/${cart.id}/lines`,
      headers: { 'x-cart-token': cart.token! },
      payload: { sku, quantity: 1 },
    });
    assert.equal(more.statusCode, 409, more.body);
    // The guest reads the order with the key of the link, and by number and e-mail; nobody else can.
    const byKey = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/${order.id}?key=${order.accessKey}`,
    });
    assert.equal(byKey.statusCode, 200, byKey.body);
    const noKey = await shop.app.inject({ method: 'GET', url: `/api/orders/${order.id}` });
    assert.equal(noKey.statusCode, 404);
    const wrongKey = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/${order.id}?key=${'x'.repeat(32)}`,
    });
    assert.equal(wrongKey.statusCode, 404);
    const lookup = await shop.app.inject({
      method: 'POST',
      url: '/api/orders/lookup',
      payload: { number: order.number, email: ' ADA@example.com ' },
    });
    assert.equal(lookup.statusCode, 200, lookup.body);
    assert.equal((lookup.json() as { id: string }).id, order.id);
    // The order was announced in the same transaction: placed and paid in the outbox.
    const events = await countRows(shop, 'orders', 'outbox', sql`data->>'orderId' = ${order.id}`);
    assert.equal(events, 2);
    // Staff see it in their list.
    const staffList = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/admin/orders?q=${order.number}`,
      headers: ordersStaff,
    });
    assert.equal(staffList.statusCode, 200, staffList.body);
    assert.deepEqual(
      (staffList.json() as OrderList).items.map((o) => o.id),
      [order.id],
    );
  });

  test('a registered customer checks out and finds the order in their history', async () => {
    const sku = unique('CUST');
    await createProduct(shop, [{ sku, price: 1200, onHand: 3 }]);
    const customerId = unique('customer');
    const cart = await cartWith(shop, [{ sku, quantity: 1 }], customerId);
    const order = await placeOrder(shop, cart, { methodId });
    assert.equal(order.status, 'paid');
    assert.equal(order.customerId, customerId);
    assert.equal(order.accessKey, null);
    const headers = await customerHeaders(customerId);
    const mine = await shop.app.inject({ method: 'GET', url: '/api/orders', headers });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(
      (mine.json() as OrderList).items.map((o) => [o.id, o.status, o.itemCount]),
      [[order.id, 'paid', 1]],
    );
    const read = await shop.app.inject({ method: 'GET', url: `/api/orders/${order.id}`, headers });
    assert.equal(read.statusCode, 200);
    // The checkout answers from what it wrote; reading the order back shows exactly the same, and
    // the reader also sees its shipments (none yet).
    const { accessKey: _, ...answered } = order;
    const { shipments, ...readBack } = read.json() as Order;
    assert.deepEqual(shipments, []);
    assert.deepEqual(readBack, answered);
    const staff = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/admin/orders?customerId=${customerId}`,
      headers: ordersStaff,
    });
    assert.deepEqual(
      (staff.json() as OrderList).items.map((o) => o.id),
      [order.id],
    );
    const payment = await shop.app.inject({
      method: 'GET',
      url: `/api/payment/intents/${order.payment!.intentId}`,
      headers: await customerHeaders(customerId, 'payment'),
    });
    assert.equal(payment.statusCode, 200, payment.body);
    assert.equal((await stockOf(shop, sku)).onHand, 2);
  });

  for (const [card, code, status] of [
    [CARDS.declined, 'card_declined', 402],
    [CARDS.insufficientFunds, 'insufficient_funds', 402],
    [CARDS.captureFails, 'capture_failed', 402],
  ] as const) {
    test(`a card that fails (${code}) leaves no paid order, no reservation, no open authorization; the cart still works`, async () => {
      const sku = unique('FAIL');
      await createProduct(shop, [{ sku, price: 900, onHand: 4 }]);
      const cart = await cartWith(shop, [{ sku, quantity: 2 }]);
      const res = await checkout(shop, cart, { methodId, token: await cardToken(shop, card) });
      assert.equal(res.statusCode, status, res.body);
      assert.equal((res.json() as Problem).code, code);
      await nothingHeldFor(sku, 4);
      // A capture failure leaves the order it had created cancelled; the others leave none.
      const orders = await countRows(shop, 'orders', 'orders', sql`cart_id = ${cart.id}`);
      const cancelled = await countRows(
        shop,
        'orders',
        'orders',
        sql`cart_id = ${cart.id} and status = 'cancelled'`,
      );
      assert.equal(orders, cancelled);
      assert.equal(orders, code === 'capture_failed' ? 1 : 0);
      // The cart is intact and can be paid for with another card.
      const again = await placeOrder(shop, cart, { methodId });
      assert.equal(again.status, 'paid');
      assert.equal((await stockOf(shop, sku)).onHand, 2);
    });
  }

  test('out of stock names the SKU (409) and holds nothing; a multi-SKU cart holds none of its SKUs', async () => {
    const plenty = unique('PLENTY');
    const scarce = unique('SCARCE');
    await createProduct(shop, [
      { sku: plenty, price: 500, onHand: 10 },
      { sku: scarce, price: 700, onHand: 1 },
    ]);
    const first = await cartWith(shop, [{ sku: scarce, quantity: 1 }]);
    const second = await cartWith(shop, [
      { sku: plenty, quantity: 3 },
      { sku: scarce, quantity: 1 },
    ]);
    assert.equal((await placeOrder(shop, first, { methodId })).status, 'paid');
    const res = await checkout(shop, second, { methodId, token: await cardToken(shop) });
    assert.equal(res.statusCode, 409, res.body);
    const problem = res.json() as Problem;
    assert.deepEqual([problem.code, problem.sku], ['out_of_stock', scarce]);
    await nothingHeldFor(plenty, 10);
    assert.equal((await stockOf(shop, scarce)).available, 0);
  });

  test('a price changed since the cart was shown is reported, and nothing is charged', async () => {
    const sku = unique('PRICE');
    const product = await createProduct(shop, [{ sku, price: 1000, onHand: 5 }]);
    const cart = await cartWith(shop, [{ sku, quantity: 1 }]);
    const quoted = await checkout(shop, cart, { methodId, token: await cardToken(shop), expectedTotal: 1 });
    assert.equal(quoted.statusCode, 409, quoted.body);
    const problem = quoted.json() as Problem & { total: number };
    assert.equal(problem.code, 'price_changed');
    const shown = problem.total;
    // Staff raise the price between the cart being shown and the checkout.
    const patch = await shop.app.inject({
      method: 'PATCH',
      url: `/api/catalogue/admin/variants/${product.variants[0]!.id}`,
      headers: catalogueStaff,
      payload: { price: { amount: 1500, currency: 'EUR' } },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    const res = await checkout(shop, cart, { methodId, token: await cardToken(shop), expectedTotal: shown });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal((res.json() as Problem).code, 'price_changed');
    await nothingHeldFor(sku, 5);
    assert.equal(await countRows(shop, 'payment', 'payment_intents', sql`amount = ${shown}`), 0);
  });

  test('a discount code is redeemed with the order, and given back when the checkout fails', async () => {
    const sku = unique('DISC');
    await createProduct(shop, [{ sku, price: 4000, onHand: 5 }]);
    const staff = cartStaff;
    const code = unique('SAVE')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '');
    const created = await shop.app.inject({
      method: 'POST',
      url: '/api/cart/admin/discounts',
      headers: staff,
      payload: { code, kind: 'fixed', value: 500, usageLimit: 1 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const cart = await cartWith(shop, [{ sku, quantity: 1 }]);
    const apply = await shop.app.inject({
      method: 'POST',
      url: `/api/cart/${cart.id}/discount`,
      headers: { 'x-cart-token': cart.token! },
      payload: { code },
    });
    assert.equal(apply.statusCode, 200, apply.body);
    const declined = await checkout(shop, cart, { methodId, token: await cardToken(shop, CARDS.declined) });
    assert.equal(declined.statusCode, 402);
    // The one use was given back, so the next checkout may take it.
    const order = await placeOrder(shop, cart, { methodId });
    assert.equal(order.discountCode, code);
    assert.equal(order.totals.discount, 500);
    const discount = await shop.app.inject({
      method: 'GET',
      url: `/api/cart/admin/discounts/${(created.json() as { id: string }).id}`,
      headers: staff,
    });
    assert.equal((discount.json() as { used: number }).used, 1);
  });

  test('a replay with the same key answers the same order; the same key with another body is refused (422)', async () => {
    const sku = unique('REPLAY');
    await createProduct(shop, [{ sku, price: 800, onHand: 5 }]);
    const cart = await cartWith(shop, [{ sku, quantity: 1 }]);
    const token = await cardToken(shop);
    const key = unique('key');
    const first = await checkout(shop, cart, { methodId, token, key });
    assert.equal(first.statusCode, 201, first.body);
    const again = await checkout(shop, cart, { methodId, token, key });
    assert.equal(again.statusCode, 201);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const other = await checkout(shop, cart, { methodId, token, key, email: 'someone@example.com' });
    assert.equal(other.statusCode, 422, other.body);
    assert.equal((other.json() as Problem).code, 'idempotency_key_reused');
    const order = first.json() as CheckoutResult;
    assert.equal(await countRows(shop, 'orders', 'orders', sql`cart_id = ${cart.id}`), 1);
    assert.equal(
      await countRows(shop, 'payment', 'payment_attempts', sql`intent_id = ${order.payment!.intentId}`),
      2,
    );
    // A new key for a cart already paid for is refused: one cart, one order.
    const twice = await checkout(shop, cart, { methodId, token: await cardToken(shop) });
    assert.equal(twice.statusCode, 409, twice.body);
    assert.equal((twice.json() as Problem).code, 'cart_completed');
  });

  test('checkout requires an Idempotency-Key', async () => {
    const res = await shop.app.inject({
      method: 'POST',
      url: '/api/orders/checkout',
      payload: {
        cartId: 'x',
        email: 'a@example.com',
        shippingAddress: { recipient: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'DE' },
        shippingMethodId: 'm',
        paymentToken: 't',
      },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal((res.json() as Problem).code, 'idempotency_key_required');
  });
});
