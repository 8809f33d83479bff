import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import type { CartApi } from '../src/api.js';
import { cartService } from '../src/index.js';
import { seedDemoCart } from '../src/seed.js';
import { fakeShippingService } from './support.js';

describeEachBackend('cart demo seed', (backend) => {
  let shop: ShopApp;
  const reports: string[] = [];
  before(async () => {
    shop = await backend.buildApp({
      services: [catalogueService, fakeShippingService, cartService],
      seed: { products: 0, ifEmpty: true, report: (m) => reports.push(m) },
    });
  });
  const api = () => shop.apis.get('cart') as CartApi;
  const admin = (): RequestContext => ({
    ...serviceContext(shop.config.store, shop.logger, 'test'),
    actor: { kind: 'staff', id: 'a', role: 'admin' },
  });
  // The cart's own seed, without the catalogue's (which has its own tests).
  const seed = (options: { ifEmpty?: boolean; reset?: boolean }) =>
    seedDemoCart(api(), serviceContext(shop.config.store, shop.logger, 'cart'), {
      products: 0,
      report: (m) => reports.push(m),
      ...options,
    });

  test('a new store gets VAT-inclusive prices, German VAT by default, EU rates and a welcome code', async () => {
    assert.ok(
      reports.some((m) => /^Cart: prices include VAT, 7 countries' rates, discount code WELCOME10/.test(m)),
    );
    assert.deepEqual(await api().taxes.getSettings(admin()), {
      pricesIncludeTax: true,
      defaultCountry: 'DE',
    });
    const rates = await api().taxes.listRates(admin());
    const de = rates.find((r) => r.country === 'DE');
    assert.deepEqual(
      de?.rates.map((r) => [r.taxClass, r.rateBasisPoints]),
      [
        ['reduced', 700],
        ['standard', 1900],
      ],
    );
    const codes = await api().discounts.list(admin());
    assert.deepEqual(
      codes.map((c) => [c.code, c.kind, c.value, c.minimumSubtotal, c.perCustomerLimit]),
      [['WELCOME10', 'percentage', 1000, 2000, 1]],
    );
  });

  test('a store with rates or codes is left alone on a start and refused without reset', async () => {
    await api().taxes.putSettings(admin(), { pricesIncludeTax: false, defaultCountry: 'FR' });
    const before = reports.length;
    await seed({ ifEmpty: true });
    assert.equal(reports.length, before, 'nothing seeded, nothing reported');
    assert.deepEqual(await api().taxes.getSettings(admin()), {
      pricesIncludeTax: false,
      defaultCountry: 'FR',
    });
    await assert.rejects(seed({}), /already has tax rates or discount codes/);
    await seed({ reset: true });
    assert.deepEqual(await api().taxes.getSettings(admin()), {
      pricesIncludeTax: true,
      defaultCountry: 'DE',
    });
    assert.equal((await api().discounts.list(admin())).length, 1, 'the welcome code is not added twice');
  });
});
