import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { cartService } from '@shopstack/cart';
import { catalogueService } from '@shopstack/catalogue';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { paymentService } from '@shopstack/payment';
import { shippingService } from '@shopstack/shipping';
import { createOrdersService, type CheckoutResult, type OrdersApi } from '../src/index.js';
import {
  CARDS,
  cardToken,
  cartWith,
  catalogueStaff,
  checkout,
  countRows,
  createProduct,
  ordersStaff,
  rowsOf,
  setUpShipping,
  stockOf,
  storePrefix,
  unique,
} from './support.js';

/*
 * The distributed topology: the orders service in a process (app) of its own, reaching the cart,
 * the catalogue, payment and shipping of another app over HTTP with service tokens. The same
 * checkout, its failures and its recovery behave as in one process.
 */
describeEachBackend('checkout with orders in a process of its own', (backend) => {
  let services: ShopApp;
  let orders: ShopApp;
  let methodId: string;
  let crashAt: string | undefined;

  before(async () => {
    const schemaPrefix = storePrefix();
    services = await backend.buildApp({
      services: [catalogueService, shippingService, cartService, paymentService],
      config: { database: { schemaPrefix } },
    });
    await services.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(services.app.server.address() as AddressInfo).port}`;
    orders = await backend.buildApp({
      services: [
        createOrdersService({
          afterStep: (step) => {
            if (step === crashAt) throw new Error(`killed after ${step}`);
          },
        }),
      ],
      known: [catalogueService, shippingService, cartService, paymentService],
      config: {
        database: { schemaPrefix },
        serviceUrls: { catalogue: url, shipping: url, cart: url, payment: url },
        orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 },
      },
    });
    assert.equal(orders.apis.has('cart'), false);
    methodId = (await setUpShipping(services)).standard;
  });

  /** A checkout sent to the orders app, for a cart and token made at the other one. */
  async function checkoutAtOrders(
    lines: Array<{ sku: string; quantity: number }>,
    card: string = CARDS.success,
  ) {
    const cart = await cartWith(services, lines);
    const res = await checkout(orders, cart, { methodId, token: await cardToken(services, card) });
    return { cart, res };
  }

  test('a guest checks out: paid order, one capture, stock committed, cart completed, all over HTTP', async () => {
    const sku = unique('SPLIT');
    await createProduct(services, [{ sku, price: 1800, onHand: 4 }]);
    const { cart, res } = await checkoutAtOrders([{ sku, quantity: 3 }]);
    assert.equal(res.statusCode, 201, res.body);
    const order = res.json() as CheckoutResult;
    assert.equal(order.status, 'paid');
    assert.deepEqual(Object.values(await stockOf(services, sku)).slice(1, 4), [1, 0, 1]);
    assert.equal(
      await countRows(
        services,
        'payment',
        'payment_attempts',
        sql`intent_id = ${order.payment!.intentId} and operation = 'capture'`,
      ),
      1,
    );
    const read = await services.app.inject({
      method: 'GET',
      url: `/api/cart/${cart.id}`,
      headers: { 'x-cart-token': cart.token! },
    });
    assert.equal((read.json() as { status: string }).status, 'completed');
    const listed = await orders.app.inject({
      method: 'GET',
      url: `/api/orders/admin/orders?q=${order.number}`,
      headers: ordersStaff,
    });
    assert.equal((listed.json() as { items: unknown[] }).items.length, 1);
  });

  test('a declined card and a shortage are answered as in one process, and leave nothing held', async () => {
    const sku = unique('SPLIT-FAIL');
    await createProduct(services, [{ sku, price: 900, onHand: 2 }]);
    const declined = await checkoutAtOrders([{ sku, quantity: 1 }], CARDS.declined);
    assert.equal(declined.res.statusCode, 402, declined.res.body);
    assert.equal((declined.res.json() as { code: string }).code, 'card_declined');
    // The cart takes 2 units; staff count 1 left before the checkout.
    const cart = await cartWith(services, [{ sku, quantity: 2 }]);
    const counted = await services.app.inject({
      method: 'PUT',
      url: `/api/catalogue/admin/stock/${sku}`,
      headers: catalogueStaff,
      payload: { onHand: 1 },
    });
    assert.equal(counted.statusCode, 200, counted.body);
    const short = { res: await checkout(orders, cart, { methodId, token: await cardToken(services) }) };
    assert.equal(short.res.statusCode, 409, short.res.body);
    assert.deepEqual(
      [(short.res.json() as { code: string }).code, (short.res.json() as { sku: string }).sku],
      ['out_of_stock', sku],
    );
    assert.deepEqual(Object.values(await stockOf(services, sku)).slice(1, 4), [1, 0, 1]);
    assert.equal(await countRows(services, 'payment', 'payment_intents', sql`status = 'authorized'`), 0);
  });

  test('a checkout killed after authorizing is undone by recovery over HTTP; one killed after the order is finished', async () => {
    const api = orders.apis.get('orders') as OrdersApi;
    for (const [step, finished] of [
      ['payment_authorized', false],
      ['order_created', true],
    ] as const) {
      const sku = unique(`SPLIT-${step}`);
      await createProduct(services, [{ sku, price: 1000, onHand: 5 }]);
      crashAt = step;
      const { cart, res } = await checkoutAtOrders([{ sku, quantity: 2 }]);
      crashAt = undefined;
      assert.equal(res.statusCode, 500, res.body);
      const outcome = await api.recovery.run({ ageSeconds: 0 });
      assert.deepEqual([outcome.finished, outcome.undone], finished ? [1, 0] : [0, 1]);
      const [row] = await rowsOf<{ id: string; status: string }>(
        orders,
        'orders',
        'checkouts',
        sql`cart_id = ${cart.id}`,
      );
      assert.equal(row!.status, finished ? 'completed' : 'failed');
      const stock = await stockOf(services, sku);
      assert.deepEqual([stock.onHand, stock.reserved], finished ? [3, 0] : [5, 0]);
      const intents = await rowsOf<{ status: string }>(
        services,
        'payment',
        'payment_intents',
        sql`reference = ${row!.id}`,
      );
      assert.deepEqual(
        intents.map((i) => i.status),
        [finished ? 'captured' : 'voided'],
      );
    }
  });
});
