import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  mintServiceToken,
  serviceContext,
  type Actor,
  type RequestContext,
  type ShopApp,
} from '@shopstack/kernel';
import { describeEachBackend, settled, TEST_SERVICE_SECRET } from '@shopstack/kernel/testing';
import { HttpOrdersClient, type OrdersClient } from '../src/index.js';
import { buildCheckoutShop, cartWith, createProduct, placeOrder, setUpShipping, unique } from './support.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

describeEachBackend('orders HTTP client', (backend) => {
  let shop: ShopApp;
  let http: HttpOrdersClient;
  let local: OrdersClient;
  let methodId: string;
  before(async () => {
    shop = await buildCheckoutShop(backend);
    methodId = (await setUpShipping(shop)).standard;
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    // What the kernel sends for the dispatch service: a service token carrying the call's actor.
    http = new HttpOrdersClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: (ctx) =>
        mintServiceToken(
          { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'dispatch', audience: 'orders' },
          ctx,
        ),
      timeoutMs: 10_000,
    });
    local = shop.services.clients.get('orders');
  });
  after(() => http.close());

  // The dispatch service's calls, as the kernel's registry would bind them in its process.
  const as = (actor: Actor): RequestContext => ({
    ...serviceContext(shop.config.store, shop.logger, 'dispatch'),
    caller: 'dispatch',
    actor,
  });

  /** The same calls through both clients, each on an order of its own, with ids and times masked. */
  async function both(scenario: (client: OrdersClient, names: Record<string, string>) => Promise<unknown[]>) {
    const results: string[] = [];
    for (const client of [local, http]) {
      const sku = unique('PAR');
      const product = await createProduct(shop, [{ sku, price: 2100, onHand: 5 }]);
      const customerId = unique('parity-customer');
      const order = await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }], customerId), {
        methodId,
      });
      const names: Record<string, string> = { orderId: order.id, productId: product.id, customerId, sku };
      let text = JSON.stringify(await scenario(client, names));
      for (const [name, value] of Object.entries(names)) text = text.replaceAll(value, `<${name}>`);
      results.push(
        text
          .replace(UUID, '<uuid>')
          .replace(TIME, '<time>')
          .replace(/"number":"\d+"/g, '"number":"<n>"')
          .replace(/Order product-\d+-\d+/g, '<name>'),
      );
    }
    assert.equal(results[1], results[0]);
    return JSON.parse(results[0]!) as unknown[];
  }

  test('reads, fulfilment steps, purchases and refusals answer alike in process and over HTTP', async () => {
    const staff = as({ kind: 'staff', id: 'parity-staff', role: 'staff' });
    const outcome = await both(async (client, { orderId, customerId, productId }) => [
      await settled(client.getOrder(staff, orderId)),
      await settled(client.getOrder(staff, 'no-such-order')),
      await settled(client.markFulfilment(staff, orderId, { status: 'fulfilling' })),
      await settled(client.markFulfilment(staff, orderId, { status: 'delivered' })),
      await settled(client.customerBought(staff, customerId, productId)),
      await settled(client.customerBought(staff, 'someone-else', productId)),
      await settled(
        client.markFulfilment(as({ kind: 'service', name: 'dispatch' }), orderId, { status: 'shipped' }),
      ),
      await settled(client.markFulfilment(staff, orderId, { status: 'fulfilling' })),
    ]);
    assert.equal((outcome[2] as { ok: { status: string } }).ok.status, 'fulfilling');
    assert.deepEqual(outcome[4], { ok: true });
    assert.deepEqual(outcome[5], { ok: false });
    assert.equal((outcome[6] as { ok: { status: string } }).ok.status, 'shipped');
    assert.match(JSON.stringify(outcome[7]), /invalid_transition/);
    assert.match(JSON.stringify(outcome[1]), /order_not_found/);
    assert.match(JSON.stringify(outcome[3]), /invalid_transition/);
  });
});
