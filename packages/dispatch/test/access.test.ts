import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Forbidden, serviceContext, Unauthorized, type ShopApp } from '@shopstack/kernel';
import {
  actAs,
  describeEachBackend,
  operationsOf,
  staffHeadersFor,
  type OpenApiDocument,
} from '@shopstack/kernel/testing';
import type { FulfilmentList } from '../src/index.js';
import {
  buildDispatchShop,
  cartWith,
  createProduct,
  dispatchApi,
  dispatchStaff,
  EventPump,
  ofOrder,
  placeOrder,
  setUpShipping,
  unique,
} from './support.js';

describeEachBackend('who may read fulfilments', (backend) => {
  let shop: ShopApp;
  let orderId: string;
  before(async () => {
    shop = await buildDispatchShop(backend);
    const { standard } = await setUpShipping(shop);
    const sku = unique('ACCESS');
    await createProduct(shop, [{ sku, price: 1000, onHand: 2 }]);
    orderId = (await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }]), { methodId: standard }))
      .id;
    await new EventPump(shop).drain(ofOrder(orderId));
  });

  test('every dispatch route is for staff: customers get 403, anonymous callers 401', async () => {
    const doc = (
      await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })
    ).json() as OpenApiDocument;
    const operations = operationsOf(doc).filter((o) => o.path.startsWith('/api/dispatch/'));
    assert.deepEqual(
      operations.map((o) => `${o.method} ${o.path} ${o.staffOnly}`),
      ['GET /api/dispatch/fulfilments true', 'GET /api/dispatch/fulfilments/{orderId} true'],
    );
    const customer = { authorization: `Bearer ${await actAs({ kind: 'customer', id: 'c1' }, 'dispatch')}` };
    for (const url of ['/api/dispatch/fulfilments', `/api/dispatch/fulfilments/${orderId}`]) {
      const asCustomer = await shop.app.inject({ method: 'GET', url, headers: customer });
      assert.equal(asCustomer.statusCode, 403, url);
      const anonymous = await shop.app.inject({ method: 'GET', url });
      assert.equal(anonymous.statusCode, 401, url);
      const staff = await shop.app.inject({
        method: 'GET',
        url,
        headers: await staffHeadersFor('dispatch', 'staff'),
      });
      assert.equal(staff.statusCode, 200, url);
    }
    const api = dispatchApi(shop);
    const ctx = serviceContext(shop.config.store, shop.logger, 'test');
    await assert.rejects(
      api.fulfilments.get({ ...ctx, actor: { kind: 'customer', id: 'c1' } }, orderId),
      Forbidden,
    );
    await assert.rejects(api.fulfilments.list({ ...ctx, actor: { kind: 'anonymous' } }, {}), Unauthorized);
  });

  test('staff list fulfilments by status and read one with its steps; an order dispatch never saw is 404', async () => {
    const list = await shop.app.inject({
      method: 'GET',
      url: '/api/dispatch/fulfilments?status=fulfilling',
      headers: dispatchStaff,
    });
    assert.equal(list.statusCode, 200, list.body);
    const items = (list.json() as FulfilmentList).items;
    assert.ok(items.some((f) => f.orderId === orderId));
    assert.ok(items.every((f) => f.status === 'fulfilling'));
    const delivered = await shop.app.inject({
      method: 'GET',
      url: '/api/dispatch/fulfilments?status=delivered',
      headers: dispatchStaff,
    });
    assert.ok(!(delivered.json() as FulfilmentList).items.some((f) => f.orderId === orderId));
    const missing = await shop.app.inject({
      method: 'GET',
      url: '/api/dispatch/fulfilments/no-such-order',
      headers: dispatchStaff,
    });
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { code: string }).code, 'fulfilment_not_found');
  });
});
