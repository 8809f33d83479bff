import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { Order, OrderList } from '../src/index.js';
import {
  buildCheckoutShop,
  cartWith,
  countRows,
  createProduct,
  customerHeaders,
  ordersStaff,
  placeOrder,
  rowsOf,
  setUpShipping,
  stockOf,
  unique,
} from './support.js';

interface Problem {
  code: string;
}

describeEachBackend('orders after checkout', (backend) => {
  let shop: ShopApp;
  let methodId: string;
  before(async () => {
    shop = await buildCheckoutShop(backend);
    methodId = (await setUpShipping(shop)).standard;
  });

  async function paidOrder(onHand = 5, quantity = 2, customerId?: string) {
    const sku = unique('ACT');
    await createProduct(shop, [{ sku, price: 3000, onHand }]);
    const order = await placeOrder(shop, await cartWith(shop, [{ sku, quantity }], customerId), { methodId });
    return { sku, order };
  }

  async function staff(method: 'GET' | 'POST', url: string, payload?: object) {
    return shop.app.inject({
      method,
      url: `/api/orders/admin/orders${url}`,
      headers: ordersStaff,
      ...(payload ? { payload } : {}),
    });
  }

  test('fulfilment moves in order, each step on the timeline with its actor; a step out of order is 409 invalid_transition', async () => {
    const { order } = await paidOrder();
    const skipped = await staff('POST', `/${order.id}/fulfilment`, { status: 'delivered' });
    assert.equal(skipped.statusCode, 409, skipped.body);
    assert.equal((skipped.json() as Problem).code, 'invalid_transition');
    for (const status of ['fulfilling', 'shipped', 'delivered'] as const) {
      const res = await staff('POST', `/${order.id}/fulfilment`, { status, note: `now ${status}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as Order).status, status);
    }
    const read = (await staff('GET', `/${order.id}`)).json() as Order;
    assert.deepEqual(
      read.timeline.map((t) => [t.from, t.to, t.actor.kind]),
      [
        [null, 'pending', 'guest'],
        ['pending', 'paid', 'guest'],
        ['paid', 'fulfilling', 'staff'],
        ['fulfilling', 'shipped', 'staff'],
        ['shipped', 'delivered', 'staff'],
      ],
    );
    const cancel = await staff('POST', `/${order.id}/cancel`, {});
    assert.equal(cancel.statusCode, 409);
    assert.equal((cancel.json() as Problem).code, 'invalid_transition');
    const types = await rowsOf<{ type: string }>(
      shop,
      'orders',
      'outbox',
      sql`data->>'orderId' = ${order.id} order by id`,
    );
    assert.deepEqual(
      types.map((t) => t.type),
      ['OrderPlaced', 'OrderPaid', 'OrderFulfilmentStarted', 'OrderShipped', 'OrderDelivered'],
    );
  });

  test('cancelling a paid order refunds it in full and puts its stock back', async () => {
    const { sku, order } = await paidOrder(5, 2);
    assert.equal((await stockOf(shop, sku)).onHand, 3);
    const res = await staff('POST', `/${order.id}/cancel`, { reason: 'customer changed their mind' });
    assert.equal(res.statusCode, 200, res.body);
    const cancelled = res.json() as Order;
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.totals.refunded, order.totals.total);
    assert.equal(cancelled.settlementPending, false);
    const stock = await stockOf(shop, sku);
    assert.deepEqual([stock.onHand, stock.reserved, stock.available], [5, 0, 5]);
    const [intent] = await rowsOf<{ status: string; amount_refunded: number }>(
      shop,
      'payment',
      'payment_intents',
      sql`id = ${order.payment!.intentId}`,
    );
    assert.deepEqual([intent!.status, intent!.amount_refunded], ['refunded', order.totals.total]);
    const again = await staff('POST', `/${order.id}/cancel`, {});
    assert.equal(again.statusCode, 409);
    const events = await rowsOf<{ type: string }>(
      shop,
      'orders',
      'outbox',
      sql`data->>'orderId' = ${order.id} order by id`,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['OrderPlaced', 'OrderPaid', 'OrderCancelled', 'OrderRefunded'],
    );
  });

  test('partial refunds add up; the last one ends the order as refunded; more than is left is refused', async () => {
    const { order } = await paidOrder();
    const total = order.totals.total;
    const part = await staff('POST', `/${order.id}/refunds`, { amount: 1000, reason: 'scratched' });
    assert.equal(part.statusCode, 200, part.body);
    assert.deepEqual([(part.json() as Order).status, (part.json() as Order).totals.refunded], ['paid', 1000]);
    const tooMuch = await staff('POST', `/${order.id}/refunds`, { amount: total });
    assert.equal(tooMuch.statusCode, 409, tooMuch.body);
    assert.equal((tooMuch.json() as Problem).code, 'refund_exceeds_paid');
    const rest = await staff('POST', `/${order.id}/refunds`, {});
    assert.equal(rest.statusCode, 200, rest.body);
    assert.deepEqual(
      [(rest.json() as Order).status, (rest.json() as Order).totals.refunded],
      ['refunded', total],
    );
  });

  test('a refund sent twice with one Idempotency-Key refunds once', async () => {
    const { order } = await paidOrder();
    const send = () =>
      shop.app.inject({
        method: 'POST',
        url: `/api/orders/admin/orders/${order.id}/refunds`,
        headers: { ...ordersStaff, 'idempotency-key': `refund-${order.id}` },
        payload: { amount: 700 },
      });
    const [a, b] = [await send(), await send()];
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(b.body, a.body);
    assert.equal(
      await countRows(shop, 'payment', 'payment_refunds', sql`intent_id = ${order.payment!.intentId}`),
      1,
    );
  });

  test("a customer gets 404 for another customer's order and payment, and 403 on staff routes", async () => {
    const { order } = await paidOrder(5, 1, unique('owner'));
    const other = await customerHeaders(unique('other'));
    const read = await shop.app.inject({ method: 'GET', url: `/api/orders/${order.id}`, headers: other });
    assert.equal(read.statusCode, 404);
    assert.equal((read.json() as Problem).code, 'order_not_found');
    const payment = await shop.app.inject({
      method: 'GET',
      url: `/api/payment/intents/${order.payment!.intentId}`,
      headers: await customerHeaders(unique('other'), 'payment'),
    });
    assert.equal(payment.statusCode, 404);
    const mine = await shop.app.inject({ method: 'GET', url: '/api/orders', headers: other });
    assert.deepEqual((mine.json() as OrderList).items, []);
    for (const [method, url, payload] of [
      ['GET', '/api/orders/admin/orders', undefined],
      ['GET', `/api/orders/admin/orders/${order.id}`, undefined],
      ['POST', `/api/orders/admin/orders/${order.id}/cancel`, {}],
      ['POST', `/api/orders/admin/orders/${order.id}/refunds`, {}],
      ['POST', `/api/orders/admin/orders/${order.id}/fulfilment`, { status: 'fulfilling' }],
    ] as const) {
      const res = await shop.app.inject({ method, url, headers: other, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
    }
    const anonymous = await shop.app.inject({ method: 'GET', url: '/api/orders' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal((await staff('GET', `/${order.id}`)).statusCode, 200);
  });

  test('staff filter and page through orders', async () => {
    const marker = unique('filter').toLowerCase();
    const customerId = unique('lister');
    const placed: Order[] = [];
    for (let i = 0; i < 3; i++) placed.push((await paidOrder(5, 1, customerId)).order);
    await staff('POST', `/${placed[0]!.id}/fulfilment`, { status: 'fulfilling' });
    const first = (await staff('GET', `?customerId=${customerId}&limit=2`)).json() as OrderList;
    assert.deepEqual(
      first.items.map((o) => o.id),
      [placed[2]!.id, placed[1]!.id],
    );
    const second = (
      await staff('GET', `?customerId=${customerId}&limit=2&cursor=${first.nextCursor}`)
    ).json() as OrderList;
    assert.deepEqual(
      second.items.map((o) => o.id),
      [placed[0]!.id],
    );
    assert.equal(second.nextCursor, null);
    const fulfilling = (
      await staff('GET', `?customerId=${customerId}&status=fulfilling`)
    ).json() as OrderList;
    assert.deepEqual(
      fulfilling.items.map((o) => o.id),
      [placed[0]!.id],
    );
    const bySku = (await staff('GET', `?sku=${placed[1]!.lines[0]!.sku}`)).json() as OrderList;
    assert.deepEqual(
      bySku.items.map((o) => o.id),
      [placed[1]!.id],
    );
    const byEmail = (await staff('GET', `?q=ADA@EXAMPLE&customerId=${customerId}`)).json() as OrderList;
    assert.equal(byEmail.items.length, 3);
    const badCursor = await staff('GET', `?cursor=${marker}`);
    assert.equal(badCursor.statusCode, 400);
  });
});
