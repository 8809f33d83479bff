import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import {
  describeEachBackend,
  NOT_JSON,
  PATH_JUNK,
  deeplyNestedBody,
  mutations,
  operationsOf,
  queryCases,
  urlOf,
  wrongRootBodies,
  type BadRequest,
  type HttpMethod,
  type OpenApiDocument,
  type Operation,
} from '@shopstack/kernel/testing';
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

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const TABLES = [
  'carts',
  'cart_lines',
  'tax_rates',
  'pricing_settings',
  'discounts',
  'discount_redemptions',
  'outbox',
];

/** Row counts and a hash of every row of every cart table: equal fingerprints mean nothing changed. */
async function fingerprint(shop: ShopApp): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(`${shop.database.schemaFor('cart')}.${table}`)}`.execute(shop.database.db);
    const lines = rows.rows.map((row) => JSON.stringify(row)).sort();
    result[table] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return result;
}

interface Seeded {
  cartId: string;
  token: string;
  lineId: string;
  productId: string;
  sku: string;
  discountId: string;
  code: string;
}

async function seed(shop: ShopApp): Promise<Seeded> {
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
  const discount = await createDiscount(shop, {
    code: unique('SWEEP'),
    kind: 'percentage',
    value: 1000,
    usageLimit: 10,
  });
  return {
    cartId: cart.id,
    token: cart.token,
    lineId: (added.json() as Cart).lines[0]!.id,
    productId: product.id,
    sku,
    discountId: discount.id,
    code: discount.code,
  };
}

/** A valid body for every operation that takes one: the mutations start from it, one broken field at a time. */
function validBodies(s: Seeded): Record<string, unknown> {
  return {
    'POST /api/cart/{id}/view': { cartToken: s.token },
    'POST /api/cart/{id}/parcel': { cartToken: s.token },
    'POST /api/cart/{id}/lines': { productId: s.productId, sku: s.sku, quantity: 1 },
    'PATCH /api/cart/{id}/lines/{lineId}': { quantity: 2 },
    'POST /api/cart/{id}/discount': { code: s.code },
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
    'POST /api/cart/discount-redemptions': {
      code: s.code,
      orderRef: 'sweep-order-new',
      customerId: 'sweep-customer',
    },
  };
}

/** Real rows for reads and writes with a body; names of nothing for writes without one (they would act). */
function pathParams(operation: Operation, s: Seeded): Record<string, string> {
  const acts = operation.method !== 'GET' && !operation.spec.requestBody;
  return {
    id: acts ? 'missing-id' : operation.path.includes('/discounts/') ? s.discountId : s.cartId,
    lineId: acts ? 'missing-line' : s.lineId,
    country: 'DE',
    orderRef: 'missing-order',
  };
}

function requestsFor(
  operation: Operation,
  s: Seeded,
  bodies: Record<string, unknown>,
  bodyLimit: number,
): BadRequest[] {
  const key = `${operation.method} ${operation.path}`;
  const requests: BadRequest[] = [];
  const params = pathParams(operation, s);
  const jsonSchema = operation.spec.requestBody?.content['application/json']?.schema;
  const valid = bodies[key];
  if (operation.spec.requestBody && valid === undefined) throw new Error(`no valid body for ${key}`);
  const validJson = valid === undefined ? undefined : JSON.stringify(valid);
  // Staff credentials and the cart's token: every request gets past the guards and owns the cart.
  const base = { ...cartStaff, 'x-cart-token': s.token };
  const json = { ...base, 'content-type': 'application/json' };
  const add = (label: string, request: Omit<BadRequest, 'label' | 'method'>) =>
    requests.push({ label, method: operation.method, ...request });

  for (const name of [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
    for (const junk of PATH_JUNK) {
      for (const headers of [base, {}]) {
        add(`path ${name}=${junk.slice(0, 20)}`, {
          url: urlOf(operation, { ...params, [name]: junk }),
          headers: validJson ? { ...headers, 'content-type': 'application/json' } : headers,
          payload: validJson,
          expect: 'reject',
        });
      }
    }
  }
  add('extra path segment', { url: `${urlOf(operation, params)}/extra`, headers: base, expect: 'reject' });
  for (const [label, token] of [
    ['a cart token of the wrong form', 'short'],
    ['a cart token that is no string of the alphabet', '!'.repeat(43)],
  ]) {
    if (!(operation.spec.parameters ?? []).some((p) => p.in === 'header')) continue;
    add(label, {
      url: urlOf(operation, params),
      headers: { ...json, 'x-cart-token': token },
      payload: validJson,
      expect: 'reject',
    });
  }

  // Opening a cart reads nothing and creates one: junk query strings would create carts, as they may.
  if (key !== 'POST /api/cart') {
    for (const { query, expect } of queryCases(operation)) {
      add(`query ${query.slice(0, 40)}`, { url: urlOf(operation, params, query), headers: base, expect });
    }
  }

  if (jsonSchema && valid !== undefined && validJson !== undefined) {
    const url = urlOf(operation, params);
    const send = (label: string, payload: string, contentType = 'application/json') =>
      add(label, { url, headers: { ...base, 'content-type': contentType }, payload, expect: 'reject' });
    send('empty JSON body', '');
    for (const text of NOT_JSON) send(`not JSON ${JSON.stringify(text).slice(0, 30)}`, text);
    for (const text of wrongRootBodies(jsonSchema)) send(`wrong root type ${text}`, text);
    send('deeply nested junk', deeplyNestedBody(5000));
    send('over the body limit', `{"junk":"${'x'.repeat(bodyLimit)}"}`);
    for (const m of mutations(jsonSchema, valid)) {
      const text = JSON.stringify(m.value);
      send(`field ${m.field} = ${(text ?? 'undefined').slice(0, 40)}`, text);
    }
    // Server-owned figures are not inputs: a price, total or status next to a valid body is refused.
    for (const field of ['price', 'unitPrice', 'total', 'totals', 'status', 'used', 'customerId']) {
      if (jsonSchema.properties?.[field]) continue;
      send(`server-owned ${field}`, JSON.stringify({ ...(valid as object), [field]: 0 }));
    }
    send('JSON as text/plain', validJson, 'text/plain');
    send('form body', 'quantity=1', 'application/x-www-form-urlencoded');
    send('junk content type', validJson, 'not a media type');
    add('JSON without a content type', { url, headers: base, payload: validJson, expect: 'reject' });
  }

  if (operation.staffOnly) {
    for (const authorization of [undefined, 'Bearer wrong-token', 'Basic dGVzdDp0ZXN0']) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      for (const payload of validJson ? [validJson, '{'] : [undefined]) {
        requests.push({
          label: `no staff token (${authorization?.slice(0, 16) ?? 'none'})`,
          method: operation.method,
          url: urlOf(operation, params),
          headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          payload,
          expect: 'reject',
          status: 401,
        });
      }
    }
  }
  return requests;
}

/** What is wrong with a response, or null: the status against the expectation, then the problem document. */
function faultOf(request: BadRequest, status: number, contentType: string, body: string): string | null {
  if (status >= 500) return `answered ${status}`;
  if (request.expect === 'reject' && status < 400) return `answered ${status}, not a 4xx`;
  if (request.status !== undefined && status !== request.status)
    return `answered ${status}, not ${request.status}`;
  if (status < 400) return null;
  if (!/^application\/problem\+json/.test(contentType)) return `a ${status} with content type ${contentType}`;
  const problem = JSON.parse(body) as Record<string, unknown>;
  if (typeof problem.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(problem.code))
    return `a ${status} without a code`;
  return null;
}

describeEachBackend('bad input to every cart route', (backend) => {
  let shop: ShopApp;
  let seeded: Seeded;
  let operations: Operation[];
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService, fakeShippingService, cartService] });
    seeded = await seed(shop);
    const doc = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    operations = operationsOf(doc.json() as OpenApiDocument).filter((o) => o.path.startsWith('/api/cart'));
  });

  test('every malformed request to every cart route gets a 4xx problem with a code and changes nothing', async () => {
    assert.ok(operations.length >= 22, `only ${operations.length} cart operations documented`);
    const bodies = validBodies(seeded);
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
      const fault = faultOf(request, res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
      if (fault)
        faults.push(
          `${request.method} ${request.url.slice(0, 90)} [${request.label}]: ${fault} ${res.body.slice(0, 200)}`,
        );
    };
    for (const operation of operations) {
      for (const request of requestsFor(operation, seeded, bodies, shop.config.server.bodyLimit))
        await run(request);
    }
    for (const path of new Set(operations.map((o) => o.path))) {
      const declared = operations.filter((o) => o.path === path);
      const url = urlOf(declared[0]!, pathParams(declared[0]!, seeded));
      for (const method of METHODS.filter((m) => !declared.some((o) => o.method === m))) {
        await run({ label: 'undeclared method', method, url, headers: cartStaff, expect: 'reject' });
      }
    }
    assert.deepEqual(faults.slice(0, 40), [], `${faults.length} of ${sent} requests answered wrongly`);
    assert.ok(sent > 1000, `only ${sent} requests sent`);
    assert.deepEqual(await fingerprint(shop), before);
  });

  test('the valid bodies the sweep breaks are accepted as they are, so each refusal was about the broken part', async () => {
    const bodies = validBodies(seeded);
    for (const operation of operations.filter((o) => o.spec.requestBody)) {
      const res = await shop.app.inject({
        method: operation.method,
        url: urlOf(operation, pathParams(operation, seeded)),
        headers: { ...cartStaff, 'x-cart-token': seeded.token },
        payload: bodies[`${operation.method} ${operation.path}`] as object,
      });
      assert.ok(
        res.statusCode >= 200 && res.statusCode < 300,
        `${operation.method} ${operation.path}: ${res.body}`,
      );
    }
  });
});
