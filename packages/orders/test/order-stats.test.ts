import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { OrderStats } from '../src/schemas/stats.js';
import {
  buildCheckoutShop,
  cartWith,
  createProduct,
  customerHeaders,
  ordersStaff,
  placeOrder,
  setUpShipping,
  unique,
} from './support.js';

const DAY_MS = 86_400_000;

/** A UTC day as YYYY-MM-DD, `back` days before today. */
function utcDay(back = 0): string {
  return new Date(Date.now() - back * DAY_MS).toISOString().slice(0, 10);
}

describeEachBackend('order figures for the staff dashboard', (backend) => {
  let shop: ShopApp;
  let methodId: string;
  before(async () => {
    shop = await buildCheckoutShop(backend);
    methodId = (await setUpShipping(shop)).standard;
  });

  async function paidOrder(price: number, quantity = 1) {
    const sku = unique('STAT');
    await createProduct(shop, [{ sku, price, onHand: 10 }]);
    return placeOrder(shop, await cartWith(shop, [{ sku, quantity }]), { methodId });
  }

  async function stats(query = '', headers: Record<string, string> = ordersStaff) {
    return shop.app.inject({ method: 'GET', url: `/api/orders/admin/stats${query}`, headers });
  }

  test('a new store has a day for each of the last 30 days, all zero, and no recent orders', async () => {
    const empty = await buildCheckoutShop(backend);
    const res = await empty.app.inject({
      method: 'GET',
      url: '/api/orders/admin/stats',
      headers: ordersStaff,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as OrderStats;
    assert.equal(body.days, 30);
    assert.equal(body.currency, 'EUR');
    assert.equal(body.daily.length, 30);
    assert.ok(body.daily.every((day) => day.orders === 0 && day.revenue === 0));
    assert.equal(body.daily[0]!.date, body.period.from);
    assert.equal(body.daily[29]!.date, body.period.to);
    assert.deepEqual(body.today, body.daily[29]);
    assert.deepEqual(body.recentOrders, []);
    assert.equal(body.period.orders, 0);
  });

  test('orders and revenue count per UTC day; cancelled orders count as placed but bring no revenue', async () => {
    const kept = await paidOrder(2500, 2);
    const cancelled = await paidOrder(4000);
    const older = await paidOrder(1000, 3);
    const cancel = await shop.app.inject({
      method: 'POST',
      url: `/api/orders/admin/orders/${cancelled.id}/cancel`,
      headers: ordersStaff,
      payload: {},
    });
    assert.equal(cancel.statusCode, 200, cancel.body);
    // Two days back, and one order outside a 7-day window.
    const orders = sql.table(`${shop.database.schemaFor('orders')}.orders`);
    await sql`update ${orders} set placed_at = now() - interval '2 days' where id = ${older.id}`.execute(
      shop.database.db,
    );
    const outside = await paidOrder(700);
    await sql`update ${orders} set placed_at = now() - interval '8 days' where id = ${outside.id}`.execute(
      shop.database.db,
    );

    const res = await stats('?days=7');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as OrderStats;
    assert.equal(body.days, 7);
    assert.equal(body.daily.length, 7);
    assert.equal(body.today.date, utcDay());
    assert.deepEqual(body.today, { date: utcDay(), orders: 2, revenue: kept.totals.total });
    assert.deepEqual(
      body.daily.find((d) => d.date === utcDay(2)),
      {
        date: utcDay(2),
        orders: 1,
        revenue: older.totals.total,
      },
    );
    assert.deepEqual(body.period, {
      from: utcDay(6),
      to: utcDay(),
      orders: 3,
      revenue: kept.totals.total + older.totals.total,
    });
    assert.deepEqual(
      body.daily.map((d) => d.date),
      [6, 5, 4, 3, 2, 1, 0].map((back) => utcDay(back)),
    );

    const month = (await stats()).json() as OrderStats;
    assert.equal(month.period.orders, 4);
    assert.equal(month.period.revenue, kept.totals.total + older.totals.total + outside.totals.total);
    // The last five placed, newest first: the moved ones come last.
    assert.deepEqual(
      month.recentOrders.map((o) => o.number),
      [cancelled.number, kept.number, older.number, outside.number],
    );
    assert.equal(month.recentOrders[0]!.status, 'cancelled');
  });

  test('days outside 1..365 are refused with 400; customers get 403 and the anonymous 401', async () => {
    for (const query of ['?days=0', '?days=366', '?days=abc', '?weeks=2']) {
      const res = await stats(query);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
    }
    assert.equal((await stats('?days=365')).json().daily.length, 365);
    assert.equal((await stats('', await customerHeaders('cust-stats'))).statusCode, 403);
    assert.equal((await stats('', {})).statusCode, 401);
  });
});
