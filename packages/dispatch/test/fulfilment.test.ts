import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { Order } from '@shopstack/orders';
import type { Fulfilment } from '../src/index.js';
import { fulfilPaidOrders } from '../src/consumers/fulfil-paid-orders.js';
import { trackShipments } from '../src/consumers/track-shipments.js';
import {
  asDispatch,
  buildDispatchShop,
  carrierStep,
  cartWith,
  createProduct,
  customerHeaders,
  dispatchStaff,
  EventPump,
  ofOrder,
  ordersStaff,
  outboxEvents,
  placeOrder,
  setUpShipping,
  handleAgain,
  unique,
} from './support.js';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function paidOrder(shop: ShopApp, methodId: string, customerId = unique('customer')) {
  const sku = unique('DISP');
  await createProduct(shop, [{ sku, price: 2500, onHand: 4 }]);
  const order = await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 2 }], customerId), {
    methodId,
  });
  return { order, customerId };
}

async function readOrder(shop: ShopApp, orderId: string): Promise<Order> {
  const res = await shop.app.inject({ method: 'GET', url: `/api/orders/${orderId}`, headers: ordersStaff });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Order;
}

async function fulfilmentOf(shop: ShopApp, orderId: string): Promise<Fulfilment> {
  const res = await shop.app.inject({
    method: 'GET',
    url: `/api/dispatch/fulfilments/${orderId}`,
    headers: dispatchStaff,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Fulfilment;
}

async function shipmentRows(shop: ShopApp, orderId: string): Promise<Array<{ id: string; status: string }>> {
  const { rows } = await sql<{ id: string; status: string }>`select id, status from ${sql.table(
    `${shop.database.schemaFor('shipping')}.shipments`,
  )} where order_id = ${orderId}`.execute(shop.database.db);
  return rows;
}

describeEachBackend('a paid order fulfilled with a carrier that runs by itself', (backend) => {
  let shop: ShopApp;
  let methodId: string;
  before(async () => {
    shop = await buildDispatchShop(backend, { carrierDelayMs: 50, carrierIntervalMs: 50 });
    methodId = (await setUpShipping(shop)).standard;
  });

  test('a paid order reaches delivered through the handlers, with its timeline, fulfilment steps and tracking', async () => {
    const { order, customerId } = await paidOrder(shop, methodId);
    const pump = new EventPump(shop);
    const headers = await customerHeaders(customerId);
    const delivered = await waitFor('the order to be delivered', async () => {
      await pump.drain(ofOrder(order.id));
      const res = await shop.app.inject({ method: 'GET', url: `/api/orders/${order.id}`, headers });
      const now = res.json() as Order;
      return now.status === 'delivered' ? now : undefined;
    });

    assert.deepEqual(
      delivered.timeline.map((t) => [t.from, t.to]),
      [
        [null, 'pending'],
        ['pending', 'paid'],
        ['paid', 'fulfilling'],
        ['fulfilling', 'shipped'],
        ['shipped', 'delivered'],
      ],
    );
    assert.equal(delivered.shipments!.length, 1);
    const shipment = delivered.shipments![0]!;
    assert.equal(shipment.status, 'delivered');
    assert.equal(shipment.carrier, 'ShopStack Post');
    assert.deepEqual(
      shipment.trackingEvents.map((e) => e.status),
      ['pending', 'label_created', 'in_transit', 'delivered'],
    );
    for (const to of ['fulfilling', 'shipped', 'delivered']) {
      const entry = delivered.timeline.find((t) => t.to === to)!;
      assert.deepEqual(entry.actor, { kind: 'service', id: 'dispatch' });
      assert.match(entry.note ?? '', new RegExp(shipment.trackingNumber));
    }

    const fulfilment = await fulfilmentOf(shop, order.id);
    assert.equal(fulfilment.status, 'delivered');
    assert.equal(fulfilment.trackingNumber, shipment.trackingNumber);
    assert.deepEqual(
      fulfilment.steps.map((s) => s.step),
      ['started', 'shipment_created', 'order_fulfilling', 'order_shipped', 'order_delivered'],
    );
    assert.equal((await shipmentRows(shop, order.id)).length, 1);
  });
});

describeEachBackend('dispatch handlers', (backend) => {
  let shop: ShopApp;
  let methodId: string;
  before(async () => {
    shop = await buildDispatchShop(backend);
    methodId = (await setUpShipping(shop)).standard;
  });

  test('redelivering OrderPaid, through the kernel or past its record after a crash, creates no second shipment', async () => {
    const { order } = await paidOrder(shop, methodId);
    const pump = new EventPump(shop);
    assert.deepEqual(await pump.drain(ofOrder(order.id)), ['OrderPaid']);
    const paid = (await outboxEvents(shop)).find((e) => e.type === 'OrderPaid' && e.aggregate === order.id)!;
    // The bus delivers again: the kernel finds the event processed and runs nothing.
    await pump.deliver(paid);
    // A crash after the calls but before the commit: the handler runs again from the start.
    await handleAgain(shop, fulfilPaidOrders, paid);
    await handleAgain(shop, fulfilPaidOrders, paid);

    assert.deepEqual(await shipmentRows(shop, order.id), [
      { id: (await shipmentRows(shop, order.id))[0]!.id, status: 'pending' },
    ]);
    const created = (await outboxEvents(shop)).filter(
      (e) => e.type === 'ShipmentCreated' && e.aggregate === order.id,
    );
    assert.equal(created.length, 1);
    const read = await readOrder(shop, order.id);
    assert.equal(read.status, 'fulfilling');
    assert.equal(read.timeline.filter((t) => t.to === 'fulfilling').length, 1);
    const fulfilment = await fulfilmentOf(shop, order.id);
    assert.equal(fulfilment.status, 'fulfilling');
    // Each run records its steps: the two reruns show, and found the work done.
    assert.equal(fulfilment.steps.filter((s) => s.step === 'shipment_created').length, 3);
  });

  test('a cancelled order stops its shipment before it leaves', async () => {
    const { order } = await paidOrder(shop, methodId);
    const pump = new EventPump(shop);
    await pump.drain(ofOrder(order.id));
    await carrierStep(shop); // label created: not yet in transit
    await pump.drain(ofOrder(order.id));
    const cancel = await shop.app.inject({
      method: 'POST',
      url: `/api/orders/admin/orders/${order.id}/cancel`,
      headers: ordersStaff,
      payload: { reason: 'customer changed their mind' },
    });
    assert.equal(cancel.statusCode, 200, cancel.body);
    assert.ok((await pump.drain(ofOrder(order.id))).includes('OrderCancelled'));

    assert.deepEqual(
      (await shipmentRows(shop, order.id)).map((s) => s.status),
      ['cancelled'],
    );
    const fulfilment = await fulfilmentOf(shop, order.id);
    assert.equal(fulfilment.status, 'stopped');
    assert.equal(fulfilment.steps.at(-1)!.step, 'shipment_cancelled');
    // The carrier leaves a cancelled shipment where it is.
    await carrierStep(shop);
    assert.deepEqual(
      (await shipmentRows(shop, order.id)).map((s) => s.status),
      ['cancelled'],
    );
    const read = await readOrder(shop, order.id);
    assert.equal(read.status, 'cancelled');
    assert.equal(read.shipments![0]!.status, 'cancelled');
  });

  test('a shipment already in transit when the order is cancelled is recorded as could not stop', async () => {
    const { order } = await paidOrder(shop, methodId);
    const pump = new EventPump(shop);
    await pump.drain(ofOrder(order.id));
    await carrierStep(shop);
    await carrierStep(shop); // in transit, its event not yet delivered
    const cancel = await shop.app.inject({
      method: 'POST',
      url: `/api/orders/admin/orders/${order.id}/cancel`,
      headers: ordersStaff,
      payload: {},
    });
    assert.equal(cancel.statusCode, 200, cancel.body);
    await pump.drain(ofOrder(order.id));
    assert.deepEqual(
      (await shipmentRows(shop, order.id)).map((s) => s.status),
      ['in_transit'],
    );
    const steps = (await fulfilmentOf(shop, order.id)).steps.map((s) => s.step);
    assert.ok(steps.includes('could_not_stop'), steps.join());
    assert.ok(steps.includes('order_not_shipped'), steps.join());
    assert.equal((await readOrder(shop, order.id)).status, 'cancelled');
  });

  test('an order left behind is caught up: in transit before the paid step moved it takes it through fulfilling to shipped', async () => {
    const { order } = await paidOrder(shop, methodId);
    const pump = new EventPump(shop);
    // The OrderPaid handler keeps failing for now: the shipment exists (its first try got that far), the order is still paid.
    const paid = (await outboxEvents(shop)).filter((e) => e.aggregate === order.id);
    pump.skip(paid);
    await shop.services.clients.get('shipping').createShipment(asDispatch(shop), {
      orderId: order.id,
      customerId: order.customerId,
      methodCode: order.shippingMethod.code,
      address: order.shippingAddress,
      items: order.lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity })),
    });
    await carrierStep(shop);
    await carrierStep(shop);
    assert.deepEqual(await pump.drain(ofOrder(order.id)), ['ShipmentInTransit']);
    const read = await readOrder(shop, order.id);
    assert.deepEqual(
      read.timeline.map((t) => t.to),
      ['pending', 'paid', 'fulfilling', 'shipped'],
    );
    // The paid step's retry now finds the work done and the order further on.
    await pump.deliver(paid.find((e) => e.type === 'OrderPaid')!);
    assert.equal((await readOrder(shop, order.id)).status, 'shipped');
    assert.equal((await shipmentRows(shop, order.id)).length, 1);
    assert.equal((await fulfilmentOf(shop, order.id)).status, 'shipped');
    // Delivered, then the same event again: the order is already there.
    await carrierStep(shop);
    const delivered = (await outboxEvents(shop)).find(
      (e) => e.type === 'ShipmentDelivered' && e.aggregate === order.id,
    )!;
    await pump.drain(ofOrder(order.id));
    await handleAgain(shop, trackShipments, delivered);
    const final = await readOrder(shop, order.id);
    assert.equal(final.status, 'delivered');
    assert.equal(final.timeline.filter((t) => t.to === 'delivered').length, 1);
  });
});
