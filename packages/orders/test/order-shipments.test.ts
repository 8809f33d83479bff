import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { serviceContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { Order } from '../src/index.js';
import {
  ADDRESS,
  buildCheckoutShop,
  cartWith,
  createProduct,
  customerHeaders,
  ordersStaff,
  placeOrder,
  setUpShipping,
  unique,
} from './support.js';

describeEachBackend('shipments on an order', (backend) => {
  let shop: ShopApp;
  let methodId: string;
  before(async () => {
    shop = await buildCheckoutShop(backend);
    methodId = (await setUpShipping(shop)).standard;
  });

  /** A paid order of the customer (a guest's without one) and its shipment, as dispatch creates it. */
  async function shippedOrder(customerId?: string) {
    const sku = unique('SHIP');
    await createProduct(shop, [{ sku, price: 1500, onHand: 3 }]);
    const order = await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }], customerId), {
      methodId,
    });
    const dispatch = { ...serviceContext(shop.config.store, shop.logger, 'test'), caller: 'dispatch' };
    const shipment = await shop.services.clients.get('shipping').createShipment(dispatch, {
      orderId: order.id,
      customerId: order.customerId,
      methodCode: order.shippingMethod.code,
      address: ADDRESS,
      items: order.lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity })),
    });
    return { order, shipment };
  }

  test('the owner reads the shipment with its tracking on the order; another customer gets 404', async () => {
    const customerId = unique('customer');
    const { order, shipment } = await shippedOrder(customerId);
    const read = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/${order.id}`,
      headers: await customerHeaders(customerId),
    });
    assert.equal(read.statusCode, 200, read.body);
    const expected = [
      {
        carrier: 'ShopStack Post',
        trackingNumber: shipment.trackingNumber,
        status: 'pending',
        trackingEvents: shipment.trackingEvents,
      },
    ];
    assert.deepEqual((read.json() as Order).shipments, expected);
    assert.equal(shipment.trackingEvents.length, 1);

    const staff = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/${order.id}`,
      headers: ordersStaff,
    });
    assert.deepEqual((staff.json() as Order).shipments, expected);

    const other = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/${order.id}`,
      headers: await customerHeaders(unique('customer')),
    });
    assert.equal(other.statusCode, 404);
    assert.equal((other.json() as { code: string }).code, 'order_not_found');
    assert.doesNotMatch(other.body, new RegExp(shipment.trackingNumber));
  });

  test('a guest reads the shipment with the key of the order link and by number and e-mail', async () => {
    const { order, shipment } = await shippedOrder();
    const withKey = await shop.app.inject({
      method: 'GET',
      url: `/api/orders/${order.id}?key=${order.accessKey}`,
    });
    assert.equal(withKey.statusCode, 200, withKey.body);
    assert.equal((withKey.json() as Order).shipments?.[0]?.trackingNumber, shipment.trackingNumber);
    const lookup = await shop.app.inject({
      method: 'POST',
      url: '/api/orders/lookup',
      payload: { number: order.number, email: 'ada@example.com' },
    });
    assert.equal(lookup.statusCode, 200, lookup.body);
    assert.equal((lookup.json() as Order).shipments?.[0]?.trackingNumber, shipment.trackingNumber);
    const noKey = await shop.app.inject({ method: 'GET', url: `/api/orders/${order.id}` });
    assert.equal(noKey.statusCode, 404);
  });
});
