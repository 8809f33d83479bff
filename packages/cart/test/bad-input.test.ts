import assert from 'node:assert/strict';
import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type Operation, type SweepExamples } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import { cartService } from '../src/index.js';
import type { Cart } from '../src/schemas/cart.js';
import {
  cartRequest,
  cartStaff,
  createDiscount,
  createProduct,
  fakeShippingService,
  guestCart,
  unique,
} from './support.js';

/** A cart with a line, a discount, and a valid body for every cart operation that takes one. */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const sku = unique('SWEEP');
  const product = await createProduct(shop, [{ sku, price: 1500, weightGrams: 200 }]);
  const cart = await guestCart(shop);
  const added = await cartRequest(
    shop,
    'POST',
    `/${cart.id}/lines`,
    { token: cart.token },
    { productId: product.id, sku, quantity: 1 },
  );
  assert.equal(added.statusCode, 200, added.body);
  const lineId = (added.json() as Cart).lines[0]!.id;
  // Completing a cart ends it: the valid body completes a cart of its own, not the one the others change.
  const completable = await guestCart(shop);
  const discount = await createDiscount(shop, {
    code: unique('SWEEP'),
    kind: 'percentage',
    value: 1000,
    usageLimit: 10,
  });

  return {
    pathPrefix: '/api/cart',
    validBodies: {
      'POST /api/cart/{id}/lines': { productId: product.id, sku, quantity: 1 },
      'PATCH /api/cart/{id}/lines/{lineId}': { quantity: 2 },
      'POST /api/cart/{id}/discount': { code: discount.code },
      'PUT /api/cart/{id}/shipping': { country: 'DE', methodCode: 'standard' },
      'PUT /api/cart/admin/settings': { pricesIncludeTax: true, defaultCountry: 'DE' },
      'PUT /api/cart/admin/tax-rates/{country}': {
        rates: [
          { taxClass: 'standard', rateBasisPoints: 1900 },
          { taxClass: 'reduced', rateBasisPoints: 700 },
        ],
      },
      'POST /api/cart/admin/discounts': {
        code: 'SWEEP-NEW',
        kind: 'percentage',
        value: 1500,
        minimumSubtotal: 1000,
        startsAt: '2025-01-01T00:00:00Z',
        endsAt: '2099-01-01T00:00:00Z',
        usageLimit: 10,
        perCustomerLimit: 2,
        active: true,
      },
      'PATCH /api/cart/admin/discounts/{id}': {
        value: 500,
        minimumSubtotal: 0,
        startsAt: null,
        endsAt: '2099-01-01T00:00:00Z',
        usageLimit: 20,
        perCustomerLimit: 3,
        active: true,
      },
      'POST /api/cart/{id}/complete': { orderRef: 'sweep-order-complete' },
      'POST /api/cart/discount-redemptions': {
        code: discount.code,
        orderRef: 'sweep-order-new',
        customerId: 'sweep-customer',
      },
    },
    // Real rows for reads and writes with a body; names of nothing for writes without one (they would act).
    pathParams(operation: Operation) {
      const acts = operation.method !== 'GET' && !operation.spec.requestBody;
      const id = operation.path.endsWith('/complete')
        ? completable.id
        : operation.path.includes('/discounts/')
          ? discount.id
          : cart.id;
      return {
        id: acts ? 'missing-id' : id,
        lineId: acts ? 'missing-line' : lineId,
        country: 'DE',
        orderRef: 'missing-order',
      };
    },
    // Staff credentials and the cart's token: every request gets past the guards and owns the cart.
    headersFor: () => ({ ...cartStaff, 'x-cart-token': cart.token }),
    // Opening a cart reads nothing and creates one: junk query strings would create carts, as they may.
    withoutQueryCases: ['POST /api/cart'],
  };
}

describeBadInputSweep('cart', {
  build: (backend) => backend.buildApp({ services: [catalogueService, fakeShippingService, cartService] }),
  prepare,
  minOperations: 21,
  minRequests: 1980,
});
