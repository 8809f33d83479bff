import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { defineService, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { actAs, describeEachBackend, type TestBackend } from '@shopstack/kernel/testing';
import type { ShippingApi } from '../src/api.js';
import { shippingService } from '../src/index.js';
import type { CreateShipmentInput, Shipment } from '../src/schemas/shipments.js';
import { contextAs, staffHeaders } from './support.js';

const noCart = defineService<object, object>({
  name: 'cart',
  description: 'Stand-in for the cart service: never called',
  migrations: {},
  create: () => ({}),
  routes: async () => {},
  inProcessClient: (api) => api,
  httpClient: () => ({}),
});

/** A shipping app whose carrier waits `delayMs` before each step and looks every `intervalMs`. */
function buildApp(backend: TestBackend, delayMs = 3_600_000, intervalMs = 60_000): Promise<ShopApp> {
  return backend.buildApp({
    services: [noCart, shippingService],
    config: {
      shipping: {
        carrierDelaysMs: { labelCreated: delayMs, inTransit: delayMs, delivered: delayMs },
        carrierIntervalMs: intervalMs,
      },
      events: { relay: false },
    } as never,
  });
}

const dispatch = (shop: ShopApp): RequestContext => contextAs(shop, { kind: 'service', name: 'dispatch' });

function shipmentInput(orderId = randomUUID()): CreateShipmentInput {
  return {
    orderId,
    customerId: 'customer-1',
    methodCode: 'standard',
    address: {
      recipient: 'Ada Lovelace',
      line1: 'Hauptstr. 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    items: [{ sku: 'TEE-RED-M', name: 'Red tee', quantity: 2 }],
  };
}

async function count(shop: ShopApp, table: string, where = sql`true`): Promise<number> {
  const schema = shop.database.schemaFor('shipping');
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(
    `${schema}.${table}`,
  )} where ${where}`.execute(shop.database.db);
  return rows[0]!.n;
}

async function eventTypes(shop: ShopApp, orderId: string): Promise<string[]> {
  const schema = shop.database.schemaFor('shipping');
  const { rows } = await sql<{ type: string }>`select type from ${sql.table(
    `${schema}.outbox`,
  )} where aggregate = ${orderId} order by id`.execute(shop.database.db);
  return rows.map((r) => r.type);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeEachBackend('shipments', (backend) => {
  let shop: ShopApp;
  let api: ShippingApi;
  before(async () => {
    shop = await buildApp(backend);
    api = shop.apis.get('shipping') as ShippingApi;
  });

  test('twenty concurrent createShipment calls for one order leave one shipment and one event', async () => {
    const input = shipmentInput();
    const client = shop.services.clients.get('shipping');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.createShipment(dispatch(shop), input)),
    );
    assert.equal(new Set(answers.map((s) => s.id)).size, 1);
    assert.equal(await count(shop, 'shipments', sql`order_id = ${input.orderId}`), 1);
    assert.deepEqual(await eventTypes(shop, input.orderId), ['ShipmentCreated']);
    const [shipment] = answers as [Shipment, ...Shipment[]];
    assert.equal(shipment.status, 'pending');
    assert.equal(shipment.carrier, 'ShopStack Post');
    assert.match(shipment.trackingNumber, /^SP\d{11}SS$/);
    assert.deepEqual(
      shipment.trackingEvents.map((e) => e.status),
      ['pending'],
    );
    assert.deepEqual(await client.shipmentsForOrder(dispatch(shop), input.orderId), [shipment]);
  });

  test('a shipment is cancelled until it is in transit, then refused with shipment_in_transit', async () => {
    const client = shop.services.clients.get('shipping');
    const stopped = shipmentInput();
    await client.createShipment(dispatch(shop), stopped);
    const cancelled = await client.cancelShipment(dispatch(shop), stopped.orderId);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.nextStepAt, null);
    // Cancelling again answers the cancelled shipment and writes nothing.
    assert.deepEqual(await client.cancelShipment(dispatch(shop), stopped.orderId), cancelled);
    assert.deepEqual(await eventTypes(shop, stopped.orderId), ['ShipmentCreated', 'ShipmentCancelled']);

    const moving = shipmentInput();
    await client.createShipment(dispatch(shop), moving);
    // Two passes in an hour's time take it from pending to label created to in transit.
    const later = new Date(Date.now() + 3_600_001);
    await api.carrier.run({ now: later });
    await api.carrier.run({ now: new Date(later.getTime() + 3_600_001) });
    const [inTransit] = await client.shipmentsForOrder(dispatch(shop), moving.orderId);
    assert.equal(inTransit?.status, 'in_transit');
    await assert.rejects(
      client.cancelShipment(dispatch(shop), moving.orderId),
      (err: Error & { details?: { code?: string } }) => {
        assert.equal(err.name, 'InvalidState');
        assert.equal(err.details?.code, 'shipment_in_transit');
        return true;
      },
    );
    const [after] = await client.shipmentsForOrder(dispatch(shop), moving.orderId);
    assert.equal(after?.status, 'in_transit');
    await assert.rejects(client.cancelShipment(dispatch(shop), randomUUID()), /no shipment/);
  });

  test('staff list and read shipments; customers and anonymous callers are turned away', async () => {
    const input = shipmentInput();
    const created = await shop.services.clients.get('shipping').createShipment(dispatch(shop), input);
    const list = await shop.app.inject({
      method: 'GET',
      url: `/api/shipping/admin/shipments?orderId=${input.orderId}`,
      headers: staffHeaders,
    });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual((list.json() as { items: Shipment[] }).items, [created]);
    const one = await shop.app.inject({
      method: 'GET',
      url: `/api/shipping/admin/shipments/${created.id}`,
      headers: staffHeaders,
    });
    assert.deepEqual(one.json(), created);
    const pending = await shop.app.inject({
      method: 'GET',
      url: '/api/shipping/admin/shipments?status=pending&limit=200',
      headers: staffHeaders,
    });
    assert.ok((pending.json() as { items: Shipment[] }).items.every((s) => s.status === 'pending'));

    const customer = { authorization: `Bearer ${await actAs({ kind: 'customer', id: 'c1' }, 'shipping')}` };
    for (const [method, url] of [
      ['GET', '/api/shipping/admin/shipments'],
      ['GET', `/api/shipping/orders/${input.orderId}/shipments`],
      ['POST', `/api/shipping/orders/${input.orderId}/shipments/cancel`],
      ['POST', '/api/shipping/shipments'],
    ] as const) {
      const asCustomer = await shop.app.inject({
        method,
        url,
        headers: customer,
        payload: method === 'POST' ? {} : undefined,
      });
      assert.equal(asCustomer.statusCode, 403, `${method} ${url}`);
      const anonymous = await shop.app.inject({ method, url });
      assert.equal(anonymous.statusCode, 401, `${method} ${url}`);
    }
    const [still] = await shop.services.clients
      .get('shipping')
      .shipmentsForOrder(dispatch(shop), input.orderId);
    assert.equal(still?.status, 'pending');
  });
});

describeEachBackend('the simulated carrier', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildApp(backend, 50, 50);
  });

  test('takes a shipment to delivered by itself, one step at a time and never a step twice', async () => {
    const api = shop.apis.get('shipping') as ShippingApi;
    const input = shipmentInput();
    await shop.services.clients.get('shipping').createShipment(dispatch(shop), input);
    // Extra passes racing the scheduled ones must not take any step again.
    const racing = Promise.all(Array.from({ length: 10 }, () => api.carrier.run()));
    const delivered = await waitFor('delivery', async () => {
      const [shipment] = await api.shipments.forOrder(dispatch(shop), input.orderId);
      return shipment?.status === 'delivered' ? shipment : undefined;
    });
    await racing;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(delivered.nextStepAt, null);
    const [final] = await api.shipments.forOrder(dispatch(shop), input.orderId);
    // One tracking event of its creation, then exactly the carrier's three steps.
    assert.deepEqual(
      final!.trackingEvents.map((e) => e.status),
      ['pending', 'label_created', 'in_transit', 'delivered'],
    );
    assert.equal(final!.trackingEvents.filter((e) => e.status !== 'pending').length, 3);
    assert.deepEqual(await eventTypes(shop, input.orderId), [
      'ShipmentCreated',
      'ShipmentLabelCreated',
      'ShipmentInTransit',
      'ShipmentDelivered',
    ]);
  });
});
