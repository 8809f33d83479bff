import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type Operation, type SweepExamples } from '@shopstack/kernel/testing';
import type { ShippingApi } from '../src/api.js';
import { contextAs, createMethod, createZone, freeCountries, staffHeaders } from './support.js';
import { buildShippingApp, createProduct, openCart } from './carts.js';

const MISSING = '01900000-0000-7000-8000-000000000000';

/** A zone, a method and its rate to address, a cart to quote, and a valid body for every shipping operation. */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const [country, freeCountry] = freeCountries(2) as [string, string];
  const zone = await createZone(shop, [country], 'Sweep');
  const method = await createMethod(shop, zone.id, { code: 'standard', tiers: [[1_000, 500]] });
  const product = await createProduct(shop, { price: 1_000, weightGrams: 100 });
  const cart = await openCart(shop, 'guest', { ...product, quantity: 1 });
  const money = (amount: number) => ({ amount, currency: shop.config.store.currency });
  const shipmentBody = (orderId: string) => ({
    orderId,
    customerId: null,
    methodCode: 'standard',
    address: { recipient: 'Sweep', line1: 'Street 1', city: 'Town', postalCode: '10115', country },
    items: [{ sku: 'SWEEP-1', name: 'Sweep item', quantity: 1 }],
  });
  // The carrier would move the shipment on while the sweep checks that nothing changes.
  await (shop.apis.get('shipping') as ShippingApi).carrier.stop();
  const shipment = await shop.services.clients
    .get('shipping')
    .createShipment(contextAs(shop, { kind: 'service', name: 'dispatch' }), shipmentBody(randomUUID()));

  return {
    pathPrefix: '/api/shipping/',
    validBodies: {
      'POST /api/shipping/admin/zones': { name: 'Sweep Zone', countries: [freeCountry] },
      'PATCH /api/shipping/admin/zones/{zoneId}': { name: 'Sweep Renamed', countries: [country] },
      'POST /api/shipping/admin/zones/{zoneId}/methods': {
        code: 'sweep-new',
        name: 'Sweep New',
        estimatedDays: { minDays: 1, maxDays: 3 },
        freeShippingThreshold: money(5_000),
        rates: [
          { maxWeightGrams: 1_000, price: money(500) },
          { maxWeightGrams: null, price: money(900) },
        ],
      },
      'PATCH /api/shipping/admin/methods/{methodId}': {
        code: 'standard',
        name: 'Sweep Standard',
        estimatedDays: { minDays: 2, maxDays: 4 },
        freeShippingThreshold: null,
      },
      'POST /api/shipping/admin/methods/{methodId}/rates': { maxWeightGrams: 9_000, price: money(1_500) },
      'PATCH /api/shipping/admin/rates/{rateId}': { maxWeightGrams: 1_500, price: money(600) },
      'POST /api/shipping/quote': { country, postalCode: '10115', weightGrams: 800, subtotal: money(2_000) },
      'POST /api/shipping/shipments': shipmentBody(randomUUID()),
    },
    // Writes that take no body (deletes) get ids of rows that do not exist: with nothing to validate, they would act.
    pathParams(operation: Operation) {
      return operation.method !== 'GET' && !operation.spec.requestBody
        ? { zoneId: MISSING, methodId: MISSING, rateId: MISSING, orderId: MISSING, shipmentId: MISSING }
        : {
            zoneId: zone.id,
            methodId: method.id,
            rateId: method.rates[0]!.id,
            orderId: shipment.orderId,
            shipmentId: shipment.id,
          };
    },
    headersFor: () => staffHeaders,
    // A cart's own quote is read with the cart's credentials, which the staff sweep does not carry.
    async moreValidRequests() {
      const quote = await shop.app.inject({
        method: 'GET',
        url: `/api/shipping/quote?cartId=${cart.cartId}&country=${country}`,
        headers: cart.headers,
      });
      assert.equal(quote.statusCode, 200, quote.body);
    },
  };
}

describeBadInputSweep('shipping', {
  build: buildShippingApp,
  prepare,
  minOperations: 21,
  minRequests: 1424,
});
