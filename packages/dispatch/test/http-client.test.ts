import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { serviceContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend, settled, staffHeadersFor } from '@shopstack/kernel/testing';
import type { DispatchClient } from '../src/index.js';
import { HttpDispatchClient } from '../src/index.js';
import {
  buildDispatchShop,
  cartWith,
  createProduct,
  EventPump,
  ofOrder,
  placeOrder,
  setUpShipping,
  unique,
} from './support.js';

describeEachBackend('dispatch HTTP client', (backend) => {
  let shop: ShopApp;
  let http: HttpDispatchClient;
  let local: DispatchClient;
  let orderId: string;
  before(async () => {
    shop = await buildDispatchShop(backend);
    const { standard } = await setUpShipping(shop);
    const sku = unique('PARITY');
    await createProduct(shop, [{ sku, price: 1000, onHand: 2 }]);
    orderId = (await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }]), { methodId: standard }))
      .id;
    await new EventPump(shop).drain(ofOrder(orderId));
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    const staff = (await staffHeadersFor('dispatch')).authorization.replace(/^Bearer /, '');
    http = new HttpDispatchClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: async () => staff,
      timeoutMs: 5000,
    });
    local = shop.services.clients.get('dispatch');
  });
  after(() => http.close());

  test('fulfilments and refusals are the same over HTTP as in process', async () => {
    const ctx = {
      ...serviceContext(shop.config.store, shop.logger, 'test'),
      actor: { kind: 'staff' as const, id: 'test-admin', role: 'admin' as const },
    };
    const results: unknown[][] = [];
    for (const client of [local, http]) {
      results.push([
        await settled(client.getFulfilment(ctx, orderId)),
        await settled(client.getFulfilment(ctx, 'no-such-order')),
        await settled(client.listFulfilments(ctx, { status: 'fulfilling', limit: 10 })),
        await settled(client.listFulfilments(ctx)),
      ]);
    }
    const [inProcess, overHttp] = results as [unknown[], unknown[]];
    assert.deepEqual(overHttp, inProcess);
    const fulfilment = (inProcess[0] as { ok: { status: string; steps: Array<{ step: string }> } }).ok;
    assert.equal(fulfilment.status, 'fulfilling');
    assert.deepEqual(
      fulfilment.steps.map((s) => s.step),
      ['started', 'shipment_created', 'order_fulfilling'],
    );
    assert.deepEqual(inProcess[1], {
      error: 'NotFound',
      field: undefined,
      details: { code: 'fulfilment_not_found' },
    });
  });
});
