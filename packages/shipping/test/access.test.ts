import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Forbidden, Unauthorized, type ShopApp } from '@shopstack/kernel';
import {
  actAs,
  describeEachBackend,
  operationsOf,
  staffHeadersFor,
  urlOf,
  type OpenApiDocument,
  type Operation,
} from '@shopstack/kernel/testing';
import {
  buildShippingOnlyApp,
  contextAs,
  createZone,
  freeCountries,
  outcomeOf,
  shippingApi,
  staffHeaders,
  unique,
} from './support.js';

const MISSING = '01900000-0000-7000-8000-000000000000';

describeEachBackend('who may manage shipping', (backend) => {
  let shop: ShopApp;
  let staffOperations: Operation[];
  before(async () => {
    shop = await buildShippingOnlyApp(backend);
    const doc = (
      await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })
    ).json() as OpenApiDocument;
    staffOperations = operationsOf(doc).filter((o) => o.path.startsWith('/api/shipping/') && o.staffOnly);
  });

  /** A request to a staff operation that would be valid for staff (ids that exist nowhere). */
  const send = (operation: Operation, headers: Record<string, string>) =>
    shop.app.inject({
      method: operation.method,
      url: urlOf(operation, {
        zoneId: MISSING,
        methodId: MISSING,
        rateId: MISSING,
        shipmentId: MISSING,
        orderId: MISSING,
      }),
      headers,
      ...(operation.spec.requestBody ? { payload: { name: 'x' } } : {}),
    });

  test('every staff route is under /admin but those dispatch and orders call, and the public ones are the two quotes', async () => {
    const doc = (
      await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })
    ).json() as OpenApiDocument;
    const shipping = operationsOf(doc).filter((o) => o.path.startsWith('/api/shipping/'));
    assert.equal(staffOperations.length, 19);
    assert.deepEqual(
      staffOperations
        .filter((o) => !o.path.startsWith('/api/shipping/admin/'))
        .map((o) => `${o.method} ${o.path}`)
        .sort(),
      [
        'GET /api/shipping/orders/{orderId}/shipments',
        'POST /api/shipping/orders/{orderId}/shipments/cancel',
        'POST /api/shipping/shipments',
      ],
    );
    assert.deepEqual(
      shipping.filter((o) => !o.staffOnly).map((o) => `${o.method} ${o.path}`),
      ['GET /api/shipping/quote', 'POST /api/shipping/quote'],
    );
  });

  test('a customer gets 403 from every staff route', async () => {
    const customer = { authorization: `Bearer ${await actAs({ kind: 'customer', id: 'c1' }, 'shipping')}` };
    for (const operation of staffOperations) {
      const res = await send(operation, customer);
      // Routes that admit services refuse the service that passed the customer's call on.
      const shipments = /shipments/.test(operation.path);
      assert.deepEqual(
        outcomeOf(res),
        { status: 403, code: shipments ? 'service_not_permitted' : 'forbidden' },
        `${operation.method} ${operation.path}`,
      );
    }
  });

  test('an anonymous caller gets 401 from every staff route', async () => {
    for (const operation of staffOperations) {
      const res = await send(operation, {});
      assert.deepEqual(
        outcomeOf(res),
        { status: 401, code: 'authentication_required' },
        `${operation.method} ${operation.path}`,
      );
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    }
  });

  test('staff of any role manage shipping', async () => {
    const res = await shop.app.inject({
      method: 'POST',
      url: '/api/shipping/admin/zones',
      headers: await staffHeadersFor('shipping', 'staff'),
      payload: { name: unique('By staff'), countries: freeCountries(1) },
    });
    assert.equal(res.statusCode, 201, res.body);
  });

  test('in process, the same rule holds: customers are refused, anonymous callers told to sign in', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const api = shippingApi(shop);
    const customer = contextAs(shop, { kind: 'customer', id: 'c1' });
    const anonymous = contextAs(shop, { kind: 'anonymous' });
    const calls = [
      (ctx: typeof customer) => api.zones.listZones(ctx),
      (ctx: typeof customer) => api.zones.createZone(ctx, { name: 'x', countries: [] }),
      (ctx: typeof customer) => api.zones.deleteZone(ctx, zone.id),
      (ctx: typeof customer) => api.methods.createMethod(ctx, zone.id, { code: 'x', name: 'x' }),
      (ctx: typeof customer) => api.methods.deleteRate(ctx, MISSING),
    ];
    for (const call of calls) {
      await assert.rejects(call(customer), Forbidden);
      await assert.rejects(call(anonymous), Unauthorized);
    }
    const stillThere = await shop.app.inject({
      method: 'GET',
      url: `/api/shipping/admin/zones/${zone.id}`,
      headers: staffHeaders,
    });
    assert.equal(stillThere.statusCode, 200);
  });
});
