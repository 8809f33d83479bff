import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { CheckoutResult } from '../src/index.js';
import {
  buildCheckoutShop,
  cardToken,
  cartWith,
  catalogueStaff,
  checkout,
  countRows,
  rowsOf,
  createProduct,
  setUpShipping,
  stockOf,
  unique,
  type TestCart,
} from './support.js';

/*
 * Races for real: on PostgreSQL every checkout runs on its own pooled connection, all at once. On
 * PGlite (one connection) the same runs serialized, with fewer shoppers.
 */

interface Answer {
  statusCode: number;
  body: string;
}

function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const code =
      answer.statusCode === 201
        ? '201'
        : `${answer.statusCode} ${(JSON.parse(answer.body) as { code?: string }).code}`;
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

describeEachBackend('checkout races', (backend) => {
  let shop: ShopApp;
  let methodId: string;
  const shoppers = backend.kind === 'postgres' ? 1000 : 60;

  before(async () => {
    shop = await buildCheckoutShop(backend);
    methodId = (await setUpShipping(shop)).standard;
  });

  /** Opens `count` carts and card tokens, a few at a time (setting up is not what is raced). */
  async function prepare(count: number, lines: Array<{ sku: string; quantity: number }>) {
    const prepared: Array<{ cart: TestCart; token: string }> = [];
    for (let i = 0; i < count; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async () => ({
          cart: await cartWith(shop, lines),
          token: await cardToken(shop),
        })),
      );
      prepared.push(...batch);
    }
    return prepared;
  }

  async function noStrayReservation(skus: string[]) {
    for (const sku of skus) {
      const stock = await stockOf(shop, sku);
      assert.equal(stock.reserved, 0, `${sku} has no units held`);
    }
    const held = await rowsOf<{ order_ref: string }>(
      shop,
      'catalogue',
      'reservations',
      sql`status = 'reserved'`,
    );
    assert.deepEqual(
      held.map((r) => r.order_ref),
      [],
    );
    assert.equal(await countRows(shop, 'payment', 'payment_intents', sql`status = 'authorized'`), 0);
    assert.equal(await countRows(shop, 'orders', 'checkouts', sql`status = 'running'`), 0);
  }

  test(
    `${shoppers} concurrent checkouts of a variant with stock 10: exactly 10 orders, the rest a clean out_of_stock`,
    { timeout: 300_000 },
    async () => {
      const sku = unique('RACE');
      await createProduct(shop, [{ sku, price: 1500, onHand: 10 }]);
      const prepared = await prepare(shoppers, [{ sku, quantity: 1 }]);
      const answers = await Promise.all(
        prepared.map(({ cart, token }) => checkout(shop, cart, { methodId, token })),
      );
      assert.deepEqual(tally(answers), { '201': 10, '409 out_of_stock': shoppers - 10 });
      const stock = await stockOf(shop, sku);
      assert.deepEqual([stock.onHand, stock.reserved, stock.available], [0, 0, 0]);
      await noStrayReservation([sku]);
      const orders = answers
        .filter((a) => a.statusCode === 201)
        .map((a) => JSON.parse(a.body) as CheckoutResult);
      assert.equal(new Set(orders.map((o) => o.id)).size, 10);
      assert.ok(orders.every((o) => o.status === 'paid'));
      assert.equal(
        (await countRows(
          shop,
          'payment',
          'payment_attempts',
          sql`operation = 'capture' and outcome = 'succeeded'`,
        )) >= 10,
        true,
      );
    },
  );

  test(
    'carts holding 2 units of the SKU each: exactly 5 orders of stock 10',
    { timeout: 300_000 },
    async () => {
      const sku = unique('PAIR');
      await createProduct(shop, [{ sku, price: 900, onHand: 10 }]);
      const count = Math.min(shoppers, 200);
      const prepared = await prepare(count, [{ sku, quantity: 2 }]);
      const answers = await Promise.all(
        prepared.map(({ cart, token }) => checkout(shop, cart, { methodId, token })),
      );
      assert.deepEqual(tally(answers), { '201': 5, '409 out_of_stock': count - 5 });
      assert.deepEqual(Object.values(await stockOf(shop, sku)).slice(1, 4), [0, 0, 0]);
      await noStrayReservation([sku]);
    },
  );

  test(
    'reservations naming the SKU on two lines each: the lines add up, never oversold',
    { timeout: 300_000 },
    async () => {
      // A cart holds a SKU on one line (lines of one variant merge); the catalogue takes the lines of
      // any caller, so the two-line form is raced against its reservation route directly.
      const sku = unique('TWOLINE');
      await createProduct(shop, [{ sku, price: 900, onHand: 10 }]);
      const count = Math.min(shoppers, 200);
      const answers = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          shop.app.inject({
            method: 'POST',
            url: '/api/catalogue/reservations',
            headers: catalogueStaff,
            payload: {
              orderRef: `${sku}-${i}`,
              lines: [
                { sku, quantity: 1 },
                { sku, quantity: 1 },
              ],
            },
          }),
        ),
      );
      assert.deepEqual(tally(answers), { '201': 5, '409 out_of_stock': count - 5 });
      const stock = await stockOf(shop, sku);
      assert.deepEqual([stock.onHand, stock.reserved, stock.available], [10, 10, 0]);
      // Given back, so that the later races start with no reservation held.
      for (const [i, answer] of answers.entries()) {
        if (answer.statusCode !== 201) continue;
        const released = await shop.app.inject({
          method: 'POST',
          url: `/api/catalogue/reservations/${sku}-${i}/release`,
          headers: catalogueStaff,
        });
        assert.equal((released.json() as { status: string }).status, 'released', released.body);
      }
      assert.equal((await stockOf(shop, sku)).reserved, 0);
    },
  );

  test(
    'a multi-SKU cart whose other SKU runs out: orders only while both last, nothing of the first held',
    { timeout: 300_000 },
    async () => {
      const plenty = unique('MULTI-A');
      const scarce = unique('MULTI-B');
      await createProduct(shop, [
        { sku: plenty, price: 500, onHand: 1000 },
        { sku: scarce, price: 700, onHand: 7 },
      ]);
      const count = Math.min(shoppers, 200);
      const prepared = await prepare(count, [
        { sku: plenty, quantity: 1 },
        { sku: scarce, quantity: 1 },
      ]);
      const answers = await Promise.all(
        prepared.map(({ cart, token }) => checkout(shop, cart, { methodId, token })),
      );
      assert.deepEqual(tally(answers), { '201': 7, '409 out_of_stock': count - 7 });
      const refused = answers
        .filter((a) => a.statusCode === 409)
        .map((a) => JSON.parse(a.body) as { sku: string });
      assert.ok(refused.every((p) => p.sku === scarce));
      assert.deepEqual(Object.values(await stockOf(shop, plenty)).slice(1, 4), [993, 0, 993]);
      await noStrayReservation([plenty, scarce]);
    },
  );

  test(
    '50 parallel checkouts with one key: one order, one authorization, one capture',
    { timeout: 120_000 },
    async () => {
      const sku = unique('ONEKEY');
      await createProduct(shop, [{ sku, price: 1100, onHand: 100 }]);
      const cart = await cartWith(shop, [{ sku, quantity: 1 }]);
      const token = await cardToken(shop);
      const key = unique('same-key');
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => checkout(shop, cart, { methodId, token, key })),
      );
      const created = answers.filter((a) => a.statusCode === 201);
      const busy = answers.filter((a) => a.statusCode === 409);
      assert.equal(created.length + busy.length, 50, JSON.stringify(tally(answers)));
      assert.ok(created.length >= 1);
      assert.ok(
        busy.every((a) => (JSON.parse(a.body) as { code: string }).code === 'idempotency_in_progress'),
      );
      assert.equal(new Set(created.map((a) => a.body)).size, 1, 'every success is the same order');
      const order = JSON.parse(created[0]!.body) as CheckoutResult;
      assert.equal(await countRows(shop, 'orders', 'orders', sql`cart_id = ${cart.id}`), 1);
      const attempts = sql`intent_id = ${order.payment!.intentId} and outcome = 'succeeded'`;
      assert.equal(
        await countRows(shop, 'payment', 'payment_attempts', sql`${attempts} and operation = 'authorize'`),
        1,
      );
      assert.equal(
        await countRows(shop, 'payment', 'payment_attempts', sql`${attempts} and operation = 'capture'`),
        1,
      );
      const replay = await checkout(shop, cart, { methodId, token, key });
      assert.equal(replay.statusCode, 201);
      assert.equal(replay.body, created[0]!.body);
      assert.equal((await stockOf(shop, sku)).onHand, 99);
    },
  );

  test('parallel checkouts of one cart under different keys: one order', { timeout: 120_000 }, async () => {
    const sku = unique('ONECART');
    await createProduct(shop, [{ sku, price: 1100, onHand: 100 }]);
    const cart = await cartWith(shop, [{ sku, quantity: 1 }]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () =>
        checkout(shop, cart, { methodId, token: await cardToken(shop) }),
      ),
    );
    const counts = tally(answers);
    assert.equal(counts['201'], 1, JSON.stringify(counts));
    for (const code of Object.keys(counts)) {
      assert.ok(['201', '409 checkout_in_progress', '409 cart_completed'].includes(code), code);
    }
    assert.equal(await countRows(shop, 'orders', 'orders', sql`cart_id = ${cart.id}`), 1);
    assert.equal((await stockOf(shop, sku)).onHand, 99);
  });
});
