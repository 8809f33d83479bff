import { randomUUID } from 'node:crypto';
import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type Operation, type SweepExamples } from '@shopstack/kernel/testing';
import {
  ADDRESS,
  cardToken,
  cartWith,
  createProduct,
  ordersStaff,
  placeOrder,
  setUpShipping,
  shopServices,
  unique,
} from './support.js';

/** Paid orders for the staff actions, a cart ready to check out, and a valid body for every operation. */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const methodId = (await setUpShipping(shop)).standard;
  const sku = unique('SWEEP');
  await createProduct(shop, [{ sku, price: 1500, onHand: 100 }]);
  const [toRefund, toCancel, toFulfil] = [
    await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }]), { methodId }),
    await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }]), { methodId }),
    await placeOrder(shop, await cartWith(shop, [{ sku, quantity: 1 }]), { methodId }),
  ];
  const cart = await cartWith(shop, [{ sku, quantity: 1 }]);
  const token = await cardToken(shop);

  return {
    pathPrefix: '/api/orders',
    validBodies: {
      'POST /api/orders/checkout': {
        cartId: cart.id,
        email: 'sweep@example.com',
        shippingAddress: { ...ADDRESS, line2: null, region: null, phone: '+49 30 123456' },
        shippingMethodId: methodId,
        paymentToken: token,
      },
      'POST /api/orders/lookup': { number: toRefund.number, email: 'ada@example.com' },
      'POST /api/orders/admin/orders/{id}/cancel': { reason: 'customer asked' },
      'POST /api/orders/admin/orders/{id}/refunds': { amount: 100, reason: 'scratched' },
      'POST /api/orders/admin/orders/{id}/fulfilment': { status: 'fulfilling', note: 'picked' },
    },
    pathParams(operation: Operation) {
      const id = operation.path.endsWith('/cancel')
        ? toCancel.id
        : operation.path.endsWith('/fulfilment')
          ? toFulfil.id
          : toRefund.id;
      return { id };
    },
    // Staff credentials, the guest cart's token and a fresh Idempotency-Key: every request gets past the guards.
    headersFor: () => ({ ...ordersStaff, 'x-cart-token': cart.token!, 'idempotency-key': randomUUID() }),
  };
}

describeBadInputSweep('orders', {
  build: (backend) => backend.buildApp({ services: shopServices() }),
  prepare,
  minOperations: 9,
  minRequests: 400,
});
