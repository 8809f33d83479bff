import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { InvalidInput, type SeedOptions, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { ISO_COUNTRIES } from '../src/countries.js';
import type { ShippingQuote } from '../src/schemas/quote.js';
import type { ShippingZone } from '../src/schemas/zones.js';
import { buildShippingOnlyApp, staffHeaders } from './support.js';

describeEachBackend('the demo shipping setup', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildShippingOnlyApp(backend);
  });

  const seed = async (options: Partial<SeedOptions>) => {
    const reports: string[] = [];
    await shop.services.seed({ products: 0, report: (m) => reports.push(m), ...options });
    return reports;
  };
  const zones = async () =>
    (
      (
        await shop.app.inject({ method: 'GET', url: '/api/shipping/admin/zones', headers: staffHeaders })
      ).json() as {
        zones: ShippingZone[];
      }
    ).zones;
  /** code: price of each method offered for a 1 kg parcel with the given subtotal. */
  const prices = async (country: string, subtotal = 1_000) => {
    const currency = shop.config.store.currency;
    const res = await shop.app.inject({
      method: 'POST',
      url: '/api/shipping/quote',
      payload: { country, weightGrams: 1_000, subtotal: { amount: subtotal, currency } },
    });
    return (res.json() as ShippingQuote).methods.map((m) => `${m.code}:${m.price.amount}`);
  };

  test('a new store gets a domestic, an EU and a rest-of-the-world zone with standard and express, and says so', async () => {
    assert.deepEqual(await seed({ ifEmpty: true }), ['Shipping: 3 zones, 6 methods']);
    const seeded = await zones();
    assert.deepEqual(seeded.map((z) => [z.name, z.methods.map((m) => m.code)]).sort(), [
      ['Domestic', ['express', 'standard']],
      ['European Union', ['express', 'standard']],
      ['Rest of the world', ['express', 'standard']],
    ]);
    const all = seeded.flatMap((z) => z.countries).sort();
    assert.deepEqual(all, [...ISO_COUNTRIES].sort(), 'every country is in exactly one zone');
    assert.deepEqual(seeded.find((z) => z.name === 'Domestic')!.countries, ['DE']);

    assert.deepEqual(await prices('DE'), ['standard:490', 'express:990']);
    assert.deepEqual(await prices('DE', 5_000), ['standard:0', 'express:990']);
    assert.deepEqual(await prices('FR'), ['standard:990', 'express:1990']);
    assert.deepEqual(await prices('US'), ['standard:1990', 'express:3990']);
  });

  test('a store that has zones is left alone on start, refused without reset, and replaced with it', async () => {
    const before = await zones();
    assert.deepEqual(await seed({ ifEmpty: true }), []);
    assert.deepEqual(await zones(), before);
    await assert.rejects(seed({}), (err: unknown) => err instanceof InvalidInput && err.field === 'reset');

    await shop.app.inject({
      method: 'DELETE',
      url: `/api/shipping/admin/zones/${before.find((z) => z.name === 'Domestic')!.id}`,
      headers: staffHeaders,
    });
    assert.deepEqual(await prices('DE'), [], 'the store no longer ships home');
    assert.deepEqual(await seed({ reset: true }), ['Shipping: 3 zones, 6 methods']);
    const after = await zones();
    assert.equal(after.length, 3);
    assert.ok(
      after.every((z) => !before.some((b) => b.id === z.id)),
      'every zone was replaced',
    );
    assert.deepEqual(await prices('DE'), ['standard:490', 'express:990']);
  });
});
