import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import {
  createLogger,
  InvalidInput,
  InvalidState,
  NotFound,
  mintServiceToken,
  serviceContext,
  UpstreamUnavailable,
  type RequestContext,
  type ShopApp,
} from '@shopstack/kernel';
import { describeEachBackend, TEST_SERVICE_SECRET, settled } from '@shopstack/kernel/testing';
import type { ShippingApi } from '../src/api.js';
import type { ShippingClient, ShippingRate } from '../src/client.js';
import { HttpShippingClient } from '../src/http-client.js';
import { buildShippingOnlyApp, contextAs, createMethod, createZone, freeCountries } from './support.js';

/** What the kernel sends for a calling service: a service token carrying the call's actor. */
const serviceCredential = (ctx: RequestContext) =>
  mintServiceToken(
    { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'cart', audience: 'shipping' },
    ctx,
  );

describeEachBackend('shipping HTTP client', (backend) => {
  let shop: ShopApp;
  let http: HttpShippingClient;
  let local: ShippingClient;
  let served: string;
  let unserved: string;
  before(async () => {
    shop = await buildShippingOnlyApp(backend);
    [served, unserved] = freeCountries(2) as [string, string];
    const zone = await createZone(shop, [served]);
    await createMethod(shop, zone.id, {
      code: 'standard',
      freeFrom: 4_000,
      estimatedDays: { minDays: 2, maxDays: 3 },
      tiers: [
        [1_000, 450],
        [3_000, 800],
      ],
    });
    await createMethod(shop, zone.id, { code: 'express', name: 'Express', tiers: [[null, 1_900]] });
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    http = new HttpShippingClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: serviceCredential,
      timeoutMs: 5000,
    });
    local = shop.services.clients.get('shipping');
  });

  test('rates and refusals are the same over HTTP as in process', async () => {
    const ctx = contextAs(shop, { kind: 'customer', id: 'c1' });
    const currency = shop.config.store.currency;
    const other = currency === 'USD' ? 'EUR' : 'USD';
    const parcels: unknown[] = [
      { country: served, weightGrams: 1_000, subtotal: { amount: 3_999, currency } },
      { country: served, weightGrams: 1_001, subtotal: { amount: 4_000, currency } },
      { country: served, weightGrams: 3_001, subtotal: { amount: 100, currency } },
      { country: served, postalCode: '10115', weightGrams: 10, subtotal: { amount: 0, currency } },
      { country: unserved, weightGrams: 500, subtotal: { amount: 100, currency } },
      { country: 'XX', weightGrams: 500, subtotal: { amount: 100, currency } },
      { country: served, weightGrams: 500, subtotal: { amount: 100, currency: other } },
      { country: served, weightGrams: -1, subtotal: { amount: 100, currency } },
      { country: served, weightGrams: 500, subtotal: { amount: 100, currency }, price: 0 },
    ];
    const results: unknown[][] = [];
    for (const client of [local, http]) {
      const row: unknown[] = [];
      for (const parcel of parcels) row.push(await settled(client.rates(ctx, parcel as never)));
      results.push(row);
    }
    const [inProcess, overHttp] = results as [unknown[], unknown[]];
    assert.deepEqual(overHttp, inProcess);

    const ok = (o: unknown) => (o as { ok: ShippingRate[] }).ok;
    const summary = (o: unknown) => ok(o).map((r) => `${r.code}:${r.price.amount}${r.free ? '!' : ''}`);
    assert.deepEqual(summary(inProcess[0]), ['standard:450', 'express:1900']);
    assert.deepEqual(summary(inProcess[1]), ['standard:0!', 'express:1900']);
    assert.deepEqual(summary(inProcess[2]), ['express:1900']);
    assert.deepEqual(ok(inProcess[3])[0], {
      methodId: ok(inProcess[3])[0]!.methodId,
      code: 'standard',
      name: 'Standard',
      price: { amount: 450, currency },
      free: false,
      estimatedDays: { minDays: 2, maxDays: 3 },
    });
    assert.deepEqual(inProcess[4], { ok: [] });
    assert.deepEqual(inProcess.slice(5), [
      { error: InvalidInput.name, field: 'country', details: { code: 'unknown_country', country: 'XX' } },
      {
        error: InvalidInput.name,
        field: 'subtotal.currency',
        details: { code: 'currency_mismatch', expected: currency },
      },
      { error: InvalidInput.name, field: 'weightGrams', details: {} },
      { error: InvalidInput.name, field: 'price', details: {} },
    ]);
  });

  test('shipments are created, read and cancelled the same over HTTP as in process', async () => {
    const { port } = shop.app.server.address() as AddressInfo;
    const dispatchHttp = new HttpShippingClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: (ctx) =>
        mintServiceToken(
          { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'dispatch', audience: 'shipping' },
          ctx,
        ),
      timeoutMs: 5000,
    });
    const ctx = contextAs(shop, { kind: 'service', name: 'dispatch' });
    const input = (orderId: string) => ({
      orderId,
      customerId: 'c1',
      methodCode: 'express',
      address: { recipient: 'Ada', line1: 'Street 1', city: 'Town', postalCode: '10115', country: served },
      items: [{ sku: 'SKU-1', name: 'Thing', quantity: 3 }],
    });
    const shippingApi = shop.apis.get('shipping') as ShippingApi;
    const calls = async (client: ShippingClient, orderId: string, movedOrderId: string) => [
      await settled(client.shipmentsForOrder(ctx, orderId)),
      await settled(client.cancelShipment(ctx, orderId)),
      await settled(client.createShipment(ctx, { ...input(orderId), items: [] })),
      await settled(client.createShipment(ctx, { ...input(orderId), orderId: 'not-an-order' })),
      await settled(client.cancelShipment(ctx, movedOrderId)),
    ];
    const results: unknown[][] = [];
    for (const client of [local, dispatchHttp]) {
      const orderId = randomUUID();
      const movedOrderId = randomUUID();
      await local.createShipment(ctx, input(movedOrderId));
      // Two carrier passes an hour from now take it to label created, then in transit.
      await shippingApi.carrier.run({ now: new Date(Date.now() + 3_600_000) });
      await shippingApi.carrier.run({ now: new Date(Date.now() + 7_200_000) });
      const before = await calls(client, orderId, movedOrderId);
      const created = await client.createShipment(ctx, input(orderId));
      const again = await (client === local ? dispatchHttp : local).createShipment(ctx, input(orderId));
      assert.deepEqual(again, created);
      assert.deepEqual(await client.shipmentsForOrder(ctx, orderId), [created]);
      const cancelled = await client.cancelShipment(ctx, orderId);
      assert.equal(cancelled.status, 'cancelled');
      assert.deepEqual(await client.cancelShipment(ctx, orderId), cancelled);
      assert.equal(created.method.name, 'Express');
      results.push(before);
    }
    await dispatchHttp.close();
    const [inProcess, overHttp] = results as [unknown[], unknown[]];
    assert.deepEqual(overHttp, inProcess);
    assert.deepEqual(inProcess[0], { ok: [] });
    assert.deepEqual(inProcess[1], {
      error: NotFound.name,
      field: undefined,
      details: { code: 'shipment_not_found' },
    });
    assert.equal((inProcess[2] as { error: string }).error, InvalidInput.name);
    assert.equal((inProcess[3] as { error: string }).error, InvalidInput.name);
    assert.deepEqual(inProcess[4], {
      error: InvalidState.name,
      field: undefined,
      details: { code: 'shipment_in_transit', shipmentStatus: 'in_transit' },
    });
  });

  test('an unreachable shipping service, or one that refuses the credential, is UpstreamUnavailable', async () => {
    const ctx = contextAs(shop, { kind: 'anonymous' });
    const parcel = {
      country: served,
      weightGrams: 1,
      subtotal: { amount: 1, currency: shop.config.store.currency },
    };
    const { port } = shop.app.server.address() as AddressInfo;
    const anonymous = new HttpShippingClient({
      baseUrl: `http://127.0.0.1:${port}`,
      credential: async () => 'wrong',
    });
    await assert.rejects(anonymous.rates(ctx, parcel), UpstreamUnavailable);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(new HttpShippingClient({ baseUrl: url }).rates(ctx, parcel), UpstreamUnavailable);
  });
});

test('the HTTP client posts the parcel to /api/shipping/quote with the token and request id, and retries a quote', async (t) => {
  const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
  let answer: { status: number; body: unknown } = { status: 200, body: { methods: [] } };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const store = { id: 's', name: 'S', currency: 'EUR' };
  const ctx = {
    ...serviceContext(store, createLogger({ log: { level: 'silent' }, store }), 'cart'),
    requestId: 'req-7',
  };
  const client = new HttpShippingClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credential: async () => 'secret-token',
  });
  t.after(() => client.close());
  const rate = {
    methodId: 'm',
    code: 'standard',
    name: 'Standard',
    price: { amount: 1, currency: 'EUR' },
    free: false,
  };
  answer = {
    status: 200,
    body: { country: 'DE', weightGrams: 1, subtotal: { amount: 1, currency: 'EUR' }, methods: [rate] },
  };
  const parcel = { country: 'DE', weightGrams: 1, subtotal: { amount: 1, currency: 'EUR' } };
  assert.deepEqual(await client.rates(ctx, parcel), [rate]);
  assert.deepEqual(
    [seen[0]!.method, seen[0]!.url, seen[0]!.headers.authorization, seen[0]!.headers['x-request-id']],
    ['POST', '/api/shipping/quote', 'Bearer secret-token', 'req-7'],
  );
  assert.deepEqual(JSON.parse(seen[0]!.body), parcel);

  // A quote only reads, so a shipping service that is briefly unavailable is asked again.
  answer = { status: 503, body: { title: 'Service Unavailable', status: 503 } };
  const before = seen.length;
  await assert.rejects(client.rates(ctx, parcel), UpstreamUnavailable);
  assert.equal(seen.length - before, 3);
});
