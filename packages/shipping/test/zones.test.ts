import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { ShippingZone } from '../src/schemas/zones.js';
import {
  buildShippingOnlyApp,
  createMethod,
  createZone,
  freeCountries,
  outcomeOf,
  staffHeaders,
  unique,
} from './support.js';

describeEachBackend('shipping zones', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildShippingOnlyApp(backend);
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    shop.app.inject({
      method,
      url: `/api/shipping${url}`,
      headers: staffHeaders,
      ...(payload ? { payload } : {}),
    });

  test('a zone is created, read, listed, renamed, given other countries and deleted', async () => {
    const [a, b, c] = freeCountries(3).sort() as [string, string, string];
    const name = unique('Nordics');
    const created = await createZone(shop, [b, a], name);
    assert.deepEqual(created, { id: created.id, name, countries: [a, b], methods: [] });

    const read = await call('GET', `/admin/zones/${created.id}`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), created);
    const list = (await call('GET', '/admin/zones')).json() as { zones: ShippingZone[] };
    assert.deepEqual(
      list.zones.find((z) => z.id === created.id),
      created,
    );

    const renamed = await call('PATCH', `/admin/zones/${created.id}`, { name: `${name} 2` });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal((renamed.json() as ShippingZone).name, `${name} 2`);
    assert.deepEqual((renamed.json() as ShippingZone).countries, [a, b], 'a rename keeps the countries');

    const moved = await call('PATCH', `/admin/zones/${created.id}`, { countries: [c] });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual((moved.json() as ShippingZone).countries, [c], 'the list given replaces the old one');

    assert.equal((await call('DELETE', `/admin/zones/${created.id}`)).statusCode, 204);
    assert.deepEqual(outcomeOf(await call('GET', `/admin/zones/${created.id}`)), {
      status: 404,
      code: 'zone_not_found',
    });
    assert.deepEqual(outcomeOf(await call('DELETE', `/admin/zones/${created.id}`)), {
      status: 404,
      code: 'zone_not_found',
    });
  });

  test('a country already in another zone is refused with 409, on create and on update, and nothing changes', async () => {
    const [shared, own, other] = freeCountries(3) as [string, string, string];
    const first = await createZone(shop, [shared]);
    const refused = await call('POST', '/admin/zones', { name: unique('Clash'), countries: [own, shared] });
    assert.deepEqual(outcomeOf(refused), { status: 409, code: 'country_in_another_zone' });
    assert.deepEqual((refused.json() as { countries: string[] }).countries, [shared]);
    assert.equal((refused.json() as { zoneId: string }).zoneId, first.id);

    const second = await createZone(shop, [other]);
    const update = await call('PATCH', `/admin/zones/${second.id}`, { countries: [other, shared] });
    assert.deepEqual(outcomeOf(update), { status: 409, code: 'country_in_another_zone' });
    assert.deepEqual(((await call('GET', `/admin/zones/${second.id}`)).json() as ShippingZone).countries, [
      other,
    ]);
    const zones = ((await call('GET', '/admin/zones')).json() as { zones: ShippingZone[] }).zones;
    assert.equal(
      zones.filter((z) => z.countries.includes(own)).length,
      0,
      'the refused zone was not created',
    );

    // Once the first zone lets the country go, another zone may take it.
    await call('PATCH', `/admin/zones/${first.id}`, { countries: [] });
    const taken = await call('PATCH', `/admin/zones/${second.id}`, { countries: [other, shared] });
    assert.equal(taken.statusCode, 200, taken.body);
  });

  test('two zones racing for the same country: exactly one gets it', async () => {
    const [country] = freeCountries(1) as [string];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call('POST', '/admin/zones', { name: unique(`Race ${i}`), countries: [country] }),
      ),
    );
    const outcomes = results.map(outcomeOf);
    assert.equal(outcomes.filter((o) => o.status === 201).length, 1, JSON.stringify(outcomes));
    assert.ok(
      outcomes.every((o) => o.status === 201 || o.code === 'country_in_another_zone'),
      JSON.stringify(outcomes),
    );
  });

  test('a code that is not an assigned ISO 3166-1 country is refused with 422 naming it', async () => {
    const [fine] = freeCountries(1) as [string];
    const res = await call('POST', '/admin/zones', { name: unique('Typo'), countries: [fine, 'UK'] });
    assert.deepEqual(outcomeOf(res), { status: 422, code: 'unknown_country' });
    assert.equal((res.json() as { field: string }).field, 'countries.1');
    const lower = await call('POST', '/admin/zones', { name: unique('Lower'), countries: ['de'] });
    assert.equal(lower.statusCode, 400);
    const repeated = await call('POST', '/admin/zones', { name: unique('Twice'), countries: [fine, fine] });
    assert.equal(repeated.statusCode, 400);
  });

  test('deleting a zone deletes its methods and their tiers', async () => {
    const zone = await createZone(shop, freeCountries(1));
    const method = await createMethod(shop, zone.id, { tiers: [[1000, 500]] });
    assert.equal((await call('DELETE', `/admin/zones/${zone.id}`)).statusCode, 204);
    assert.deepEqual(outcomeOf(await call('GET', `/admin/methods/${method.id}`)), {
      status: 404,
      code: 'method_not_found',
    });
    assert.deepEqual(outcomeOf(await call('DELETE', `/admin/rates/${method.rates[0]!.id}`)), {
      status: 404,
      code: 'rate_not_found',
    });
  });
});
