import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import {
  describeEachBackend,
  operationsOf,
  urlOf,
  type BadRequest,
  type HttpMethod,
  type OpenApiDocument,
  type Operation,
} from '@shopstack/kernel/testing';
import type { ShippingTables } from '../src/tables.js';
import { faultOf, requestsFor, type PathParams } from './sweep.js';
import { createMethod, createZone, freeCountries, staffHeaders } from './support.js';
import { buildShippingApp, createProduct, openCart } from './carts.js';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const TABLES = ['zones', 'zone_countries', 'methods', 'rates'] as const;
const MISSING = '01900000-0000-7000-8000-000000000000';

/** Row counts and a hash of every row of every shipping table: equal fingerprints mean nothing changed. */
async function fingerprint(shop: ShopApp): Promise<Record<string, string>> {
  const db = (shop.database.db as Kysely<ShippingTables>).withSchema(shop.database.schemaFor('shipping'));
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await db.selectFrom(table).selectAll().execute();
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    result[table] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return result;
}

interface Seeded {
  zoneId: string;
  methodId: string;
  rateId: string;
  country: string;
  freeCountry: string;
  cartId: string;
  cartHeaders: Record<string, string>;
}

/** A valid body for every operation that takes one: the mutations start from it, one broken field at a time. */
function validBodies(s: Seeded, currency: string): Record<string, unknown> {
  const money = (amount: number) => ({ amount, currency });
  return {
    'POST /api/shipping/admin/zones': { name: 'Sweep Zone', countries: [s.freeCountry] },
    'PATCH /api/shipping/admin/zones/{zoneId}': { name: 'Sweep Renamed', countries: [s.country] },
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
    'POST /api/shipping/quote': {
      country: s.country,
      postalCode: '10115',
      weightGrams: 800,
      subtotal: money(2_000),
    },
  };
}

/** Writes that take no body (deletes) get ids of rows that do not exist: with nothing to validate, they would act. */
function pathParams(operation: Operation, s: Seeded): PathParams {
  const acts = operation.method !== 'GET' && !operation.spec.requestBody;
  return acts
    ? { zoneId: MISSING, methodId: MISSING, rateId: MISSING }
    : { zoneId: s.zoneId, methodId: s.methodId, rateId: s.rateId };
}

describeEachBackend('bad input to every shipping route', (backend) => {
  let shop: ShopApp;
  let seeded: Seeded;
  let operations: Operation[];
  before(async () => {
    shop = await buildShippingApp(backend);
    const [country, freeCountry] = freeCountries(2) as [string, string];
    const zone = await createZone(shop, [country], 'Sweep');
    const method = await createMethod(shop, zone.id, { code: 'standard', tiers: [[1_000, 500]] });
    const product = await createProduct(shop, { price: 1_000, weightGrams: 100 });
    const cart = await openCart(shop, 'guest', { ...product, quantity: 1 });
    seeded = {
      zoneId: zone.id,
      methodId: method.id,
      rateId: method.rates[0]!.id,
      country,
      freeCountry,
      cartId: cart.cartId,
      cartHeaders: cart.headers,
    };
    const doc = (
      await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })
    ).json() as OpenApiDocument;
    operations = operationsOf(doc).filter((o) => o.path.startsWith('/api/shipping/'));
  });

  test('every malformed request to every shipping route gets a 4xx problem and changes nothing', async () => {
    assert.equal(operations.length, 16);
    const bodies = validBodies(seeded, shop.config.store.currency);
    const before = await fingerprint(shop);
    const faults: string[] = [];
    let sent = 0;
    const run = async (request: BadRequest) => {
      const res = await shop.app.inject({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.payload === undefined ? {} : { payload: request.payload }),
      });
      sent += 1;
      const fault = faultOf({
        request,
        status: res.statusCode,
        contentType: String(res.headers['content-type'] ?? ''),
        requestId: String(res.headers['x-request-id'] ?? ''),
        body: res.body,
      });
      if (fault)
        faults.push(
          `${request.method} ${request.url.slice(0, 100)} [${request.label}]: ${fault} ${res.body.slice(0, 200)}`,
        );
    };

    for (const operation of operations) {
      const key = `${operation.method} ${operation.path}`;
      if (operation.spec.requestBody && bodies[key] === undefined)
        throw new Error(`no valid body for ${key}`);
      const requests = requestsFor(
        operation,
        pathParams(operation, seeded),
        bodies[key],
        shop.config.server.bodyLimit,
        staffHeaders,
      );
      for (const request of requests) await run(request);
    }
    // Methods no route of a path answers.
    for (const path of new Set(operations.map((o) => o.path))) {
      const declared = operations.filter((o) => o.path === path);
      const url = urlOf(declared[0]!, pathParams(declared[0]!, seeded));
      for (const method of METHODS.filter((m) => !declared.some((o) => o.method === m))) {
        await run({ label: 'undeclared method', method, url, headers: staffHeaders, expect: 'reject' });
      }
    }

    assert.deepEqual(faults.slice(0, 40), [], `${faults.length} of ${sent} requests answered wrongly`);
    assert.ok(sent > 1000, `only ${sent} requests sent`);
    assert.deepEqual(await fingerprint(shop), before);
  });

  test('the valid bodies the sweep breaks are accepted as they are, so each refusal was about the broken part', async () => {
    const bodies = validBodies(seeded, shop.config.store.currency);
    for (const operation of operations.filter((o) => o.spec.requestBody)) {
      const res = await shop.app.inject({
        method: operation.method,
        url: urlOf(operation, pathParams(operation, seeded)),
        headers: staffHeaders,
        payload: bodies[`${operation.method} ${operation.path}`] as object,
      });
      assert.ok(
        res.statusCode >= 200 && res.statusCode < 300,
        `${operation.method} ${operation.path}: ${res.body}`,
      );
    }
    const quote = await shop.app.inject({
      method: 'GET',
      url: `/api/shipping/quote?cartId=${seeded.cartId}&country=${seeded.country}`,
      headers: seeded.cartHeaders,
    });
    assert.equal(quote.statusCode, 200, quote.body);
  });
});
