import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type SweepExamples } from '@shopstack/kernel/testing';
import {
  buildDispatchShop,
  cartWith,
  createProduct,
  dispatchStaff,
  EventPump,
  placeOrder,
  setUpShipping,
  unique,
} from './support.js';

/** An order dispatch fulfilled, to address its fulfilment. */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const { standard } = await setUpShipping(shop);
  const sku = unique('SWEEP');
  await createProduct(shop, [{ sku, price: 1000, onHand: 2 }]);
  const order = await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }]), { methodId: standard });
  await new EventPump(shop).drain();
  return {
    pathPrefix: '/api/dispatch/',
    validBodies: {},
    pathParams: () => ({ orderId: order.id }),
    headersFor: () => dispatchStaff,
  };
}

describeBadInputSweep('dispatch', {
  build: (backend) => buildDispatchShop(backend),
  prepare,
  minOperations: 2,
  minRequests: 100,
});
