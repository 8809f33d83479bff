import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { ShippingMethod, ShippingRateTier } from '../src/schemas/methods.js';
import type { ShippingZone } from '../src/schemas/zones.js';
import {
  buildShippingOnlyApp,
  createMethod,
  createZone,
  freeCountries,
  outcomeOf,
  staffHeaders,
} from './support.js';

describeEachBackend('shipping methods and rate tiers', (backend) => {
  let shop: ShopApp;
  let currency: string;
  before(async () => {
    shop = await buildShippingOnlyApp(backend);
    currency = shop.config.store.currency;
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    shop.app.inject({
      method,
      url: `/api/shipping${url}`,
      headers: staffHeaders,
      ...(payload ? { payload } : {}),
    });
  const money = (amount: number) => ({ amount, currency });
  const tiersOf = async (methodId: string) =>
    (
      (await call('GET', `/admin/methods/${methodId}/rates`)).json() as { rates: ShippingRateTier[] }
    ).rates.map((r) => [r.maxWeightGrams, r.price.amount]);

  test('a method is created with its tiers, read, listed, changed and deleted', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const method = await createMethod(shop, zone.id, {
      code: 'express',
      name: 'Express',
      freeFrom: 10_000,
      estimatedDays: { minDays: 1, maxDays: 2 },
      tiers: [
        [null, 2_000],
        [1_000, 700],
        [5_000, 1_200],
      ],
    });
    assert.deepEqual(
      { ...method, rates: method.rates.map((r) => [r.maxWeightGrams, r.price]) },
      {
        id: method.id,
        zoneId: zone.id,
        code: 'express',
        name: 'Express',
        estimatedDays: { minDays: 1, maxDays: 2 },
        freeShippingThreshold: money(10_000),
        rates: [
          [1_000, money(700)],
          [5_000, money(1_200)],
          [null, money(2_000)],
        ],
      },
      'tiers come lightest first, the unbounded one last',
    );
    assert.deepEqual((await call('GET', `/admin/methods/${method.id}`)).json(), method);
    const listed = (await call('GET', `/admin/zones/${zone.id}/methods`)).json() as {
      methods: ShippingMethod[];
    };
    assert.deepEqual(listed.methods, [method]);
    assert.deepEqual(((await call('GET', `/admin/zones/${zone.id}`)).json() as ShippingZone).methods, [
      method,
    ]);

    const changed = await call('PATCH', `/admin/methods/${method.id}`, {
      name: 'Overnight',
      estimatedDays: null,
      freeShippingThreshold: null,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    const after = changed.json() as ShippingMethod;
    assert.deepEqual(
      [after.code, after.name, after.estimatedDays, after.freeShippingThreshold, after.rates],
      ['express', 'Overnight', null, null, method.rates],
    );

    assert.equal((await call('DELETE', `/admin/methods/${method.id}`)).statusCode, 204);
    assert.deepEqual(outcomeOf(await call('GET', `/admin/methods/${method.id}`)), {
      status: 404,
      code: 'method_not_found',
    });
    assert.deepEqual(outcomeOf(await call('GET', `/admin/methods/${method.id}/rates`)), {
      status: 404,
      code: 'method_not_found',
    });
  });

  test('tiers are added, changed and deleted one by one', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const method = await createMethod(shop, zone.id, { tiers: [[1_000, 500]] });
    const added = await call('POST', `/admin/methods/${method.id}/rates`, {
      maxWeightGrams: null,
      price: money(900),
    });
    assert.equal(added.statusCode, 201, added.body);
    const tier = added.json() as ShippingRateTier;
    assert.deepEqual(tier, { id: tier.id, methodId: method.id, maxWeightGrams: null, price: money(900) });

    const changed = await call('PATCH', `/admin/rates/${tier.id}`, {
      maxWeightGrams: 3_000,
      price: money(800),
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(await tiersOf(method.id), [
      [1_000, 500],
      [3_000, 800],
    ]);
    assert.equal((await call('DELETE', `/admin/rates/${tier.id}`)).statusCode, 204);
    assert.deepEqual(await tiersOf(method.id), [[1_000, 500]]);
    assert.deepEqual(outcomeOf(await call('PATCH', `/admin/rates/${tier.id}`, { price: money(1) })), {
      status: 404,
      code: 'rate_not_found',
    });
  });

  test('overlapping tiers are refused with 409 and change nothing', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const inline = await call('POST', `/admin/zones/${zone.id}/methods`, {
      code: 'standard',
      name: 'Standard',
      rates: [
        { maxWeightGrams: 1_000, price: money(500) },
        { maxWeightGrams: 1_000, price: money(600) },
      ],
    });
    assert.deepEqual(outcomeOf(inline), { status: 409, code: 'rate_tiers_overlap' });
    const twoUnbounded = await call('POST', `/admin/zones/${zone.id}/methods`, {
      code: 'standard',
      name: 'Standard',
      rates: [
        { maxWeightGrams: null, price: money(500) },
        { maxWeightGrams: null, price: money(600) },
      ],
    });
    assert.deepEqual(outcomeOf(twoUnbounded), { status: 409, code: 'rate_tiers_overlap' });
    assert.deepEqual(
      ((await call('GET', `/admin/zones/${zone.id}/methods`)).json() as { methods: [] }).methods,
      [],
    );

    const method = await createMethod(shop, zone.id, {
      tiers: [
        [1_000, 500],
        [null, 900],
      ],
    });
    const tiers = [
      [1_000, 500],
      [null, 900],
    ];
    const same = await call('POST', `/admin/methods/${method.id}/rates`, {
      maxWeightGrams: 1_000,
      price: money(1),
    });
    assert.deepEqual(outcomeOf(same), { status: 409, code: 'rate_tiers_overlap' });
    assert.equal((same.json() as { maxWeightGrams: number }).maxWeightGrams, 1_000);
    const unbounded = await call('POST', `/admin/methods/${method.id}/rates`, {
      maxWeightGrams: null,
      price: money(1),
    });
    assert.deepEqual(outcomeOf(unbounded), { status: 409, code: 'rate_tiers_overlap' });
    const moved = await call('PATCH', `/admin/rates/${method.rates[1]!.id}`, { maxWeightGrams: 1_000 });
    assert.deepEqual(outcomeOf(moved), { status: 409, code: 'rate_tiers_overlap' });
    assert.deepEqual(await tiersOf(method.id), tiers);
  });

  test('two staff members adding the same tier at once: one gets it, the other a 409', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const method = await createMethod(shop, zone.id);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call('POST', `/admin/methods/${method.id}/rates`, { maxWeightGrams: 2_000, price: money(100 + i) }),
      ),
    );
    const outcomes = results.map(outcomeOf);
    assert.equal(outcomes.filter((o) => o.status === 201).length, 1, JSON.stringify(outcomes));
    assert.ok(
      outcomes.every((o) => o.status === 201 || o.code === 'rate_tiers_overlap'),
      JSON.stringify(outcomes),
    );
    assert.equal((await tiersOf(method.id)).length, 1);
  });

  test('a price or threshold in another currency than the store sells in is refused with 422', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const other = currency === 'USD' ? 'EUR' : 'USD';
    const inTier = await call('POST', `/admin/zones/${zone.id}/methods`, {
      code: 'standard',
      name: 'Standard',
      rates: [
        { maxWeightGrams: 1_000, price: money(500) },
        { maxWeightGrams: null, price: { amount: 900, currency: other } },
      ],
    });
    assert.deepEqual(outcomeOf(inTier), { status: 422, code: 'currency_mismatch' });
    assert.equal((inTier.json() as { field: string }).field, 'rates.1.price.currency');
    const inThreshold = await call('POST', `/admin/zones/${zone.id}/methods`, {
      code: 'standard',
      name: 'Standard',
      freeShippingThreshold: { amount: 5_000, currency: other },
    });
    assert.deepEqual(outcomeOf(inThreshold), { status: 422, code: 'currency_mismatch' });

    const method = await createMethod(shop, zone.id, { tiers: [[1_000, 500]] });
    const tierPrice = { amount: 1, currency: other };
    for (const res of [
      await call('POST', `/admin/methods/${method.id}/rates`, { maxWeightGrams: 2_000, price: tierPrice }),
      await call('PATCH', `/admin/rates/${method.rates[0]!.id}`, { price: tierPrice }),
      await call('PATCH', `/admin/methods/${method.id}`, { freeShippingThreshold: tierPrice }),
    ]) {
      assert.deepEqual(outcomeOf(res), { status: 422, code: 'currency_mismatch' });
      assert.equal((res.json() as { expected: string }).expected, currency);
    }
    assert.deepEqual((await call('GET', `/admin/methods/${method.id}`)).json(), method);
  });

  test('a method code is unique in its zone, not across zones', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const method = await createMethod(shop, zone.id, { code: 'standard' });
    const again = await call('POST', `/admin/zones/${zone.id}/methods`, { code: 'standard', name: 'Again' });
    assert.deepEqual(outcomeOf(again), { status: 409, code: 'method_code_taken' });
    const express = await createMethod(shop, zone.id, { code: 'express' });
    const renamed = await call('PATCH', `/admin/methods/${express.id}`, { code: 'standard' });
    assert.deepEqual(outcomeOf(renamed), { status: 409, code: 'method_code_taken' });
    const elsewhere = await createZone(shop, freeCountries(1));
    await createMethod(shop, elsewhere.id, { code: 'standard' });
    assert.equal(
      ((await call('GET', `/admin/methods/${method.id}`)).json() as ShippingMethod).code,
      'standard',
    );
  });

  test('a delivery estimate whose minimum is above its maximum is refused with 422', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const res = await call('POST', `/admin/zones/${zone.id}/methods`, {
      code: 'standard',
      name: 'Standard',
      estimatedDays: { minDays: 5, maxDays: 2 },
    });
    assert.deepEqual(outcomeOf(res), { status: 422, code: 'invalid_delivery_estimate' });
    assert.equal((res.json() as { field: string }).field, 'estimatedDays.maxDays');
  });

  test('methods of a zone that does not exist are 404 zone_not_found', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    assert.deepEqual(outcomeOf(await call('GET', `/admin/zones/${missing}/methods`)), {
      status: 404,
      code: 'zone_not_found',
    });
    assert.deepEqual(
      outcomeOf(
        await call('POST', `/admin/zones/${missing}/methods`, { code: 'standard', name: 'Standard' }),
      ),
      { status: 404, code: 'zone_not_found' },
    );
  });
});
