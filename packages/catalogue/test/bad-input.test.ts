import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import {
  NOT_JSON,
  PATH_JUNK,
  deeplyNestedBody,
  mutations,
  operationsOf,
  queryCases,
  urlOf,
  wrongRootBodies,
  type BadRequest,
  type Expectation,
  type HttpMethod,
  type OpenApiDocument,
  type Operation,
} from '@shopstack/kernel/testing';
import { catalogueDb } from './fixtures.js';
import { createProduct, staffHeaders, unique } from './staff.js';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const TABLES = ['categories', 'products', 'variants', 'reservations', 'reservation_lines'] as const;

/** Row counts and a hash of every row of every catalogue table: equal fingerprints mean nothing changed. */
async function fingerprint(shop: ShopApp): Promise<Record<string, string>> {
  const db = catalogueDb(shop);
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await db.selectFrom(table).selectAll().execute();
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    result[table] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return result;
}

interface Seeded {
  productId: string;
  productSlug: string;
  variantId: string;
  sku: string;
  categoryId: string;
  orderRef: string;
}

async function seed(shop: ShopApp): Promise<Seeded> {
  const category = await shop.app.inject({
    method: 'POST',
    url: '/api/catalogue/admin/categories',
    headers: staffHeaders,
    payload: { name: 'Sweep Category', slug: unique('sweep-category') },
  });
  assert.equal(category.statusCode, 201, category.body);
  const categoryId = (category.json() as { id: string }).id;
  const sku = unique('SWEEP-SKU');
  const product = await createProduct(shop, {
    name: 'Sweep Product',
    categoryId,
    variants: [
      { sku, price: 1500, onHand: 20, attributes: { size: 'm' } },
      { sku: unique('SWEEP-SKU'), price: 2500, onHand: 3 },
    ],
  });
  await createProduct(shop, { name: 'Sweep Draft', status: 'draft', variants: [{ sku: unique('SWEEP-D') }] });
  const orderRef = unique('sweep-order');
  const reservation = await shop.app.inject({
    method: 'POST',
    url: '/api/catalogue/reservations',
    headers: staffHeaders,
    payload: { orderRef, lines: [{ sku, quantity: 2 }] },
  });
  assert.equal(reservation.statusCode, 201, reservation.body);
  return {
    productId: product.id,
    productSlug: product.slug,
    variantId: product.variants[0]!.id,
    sku,
    categoryId,
    orderRef,
  };
}

/** A valid body for every operation that takes one: the mutations start from it, one broken field at a time. */
function validBodies(s: Seeded): Record<string, unknown> {
  const eur = (amount: number) => ({ amount, currency: 'EUR' });
  const variant = {
    sku: 'SWEEP-NEW-1',
    title: 'Small',
    price: eur(1000),
    compareAtPrice: eur(1200),
    weightGrams: 300,
    attributes: { size: 's' },
    position: 1,
    onHand: 4,
  };
  const product = {
    name: 'Sweep New',
    slug: 'sweep-new',
    description: 'A product the sweep never manages to create.',
    status: 'draft',
    options: [{ name: 'Size', values: ['S', 'M'] }],
    images: [{ url: '/api/catalogue/images/sweep-new-1.svg', alt: 'Sweep' }],
    variants: [variant],
  };
  return {
    'POST /api/catalogue/admin/products': { ...product, categoryId: s.categoryId },
    'PATCH /api/catalogue/admin/products/{id}': {
      name: 'Sweep Renamed',
      slug: 'sweep-renamed',
      description: 'Renamed.',
      status: 'published',
      categoryId: s.categoryId,
      options: product.options,
      images: product.images,
    },
    'POST /api/catalogue/admin/products/{id}/variants': { ...variant, sku: 'SWEEP-NEW-2' },
    'PATCH /api/catalogue/admin/variants/{id}': {
      // The SKU stays: the stock routes below address the variant by it.
      sku: s.sku,
      title: 'Medium',
      price: eur(900),
      compareAtPrice: null,
      weightGrams: 250,
      attributes: { size: 'm', colour: 'red' },
      position: 2,
    },
    'POST /api/catalogue/admin/categories': {
      name: 'Sweep Child',
      slug: 'sweep-child',
      description: 'Below the sweep category.',
      parentId: s.categoryId,
      position: 3,
    },
    'PATCH /api/catalogue/admin/categories/{id}': {
      name: 'Sweep Moved',
      slug: 'sweep-moved',
      description: 'Moved.',
      parentId: null,
      position: 4,
    },
    'PUT /api/catalogue/admin/stock/{sku}': { onHand: 50 },
    'POST /api/catalogue/admin/stock/{sku}/adjust': { delta: 5 },
    'POST /api/catalogue/admin/import': {
      products: [{ ...product, slug: 'sweep-imported', variants: [{ ...variant, sku: 'SWEEP-IMP-1' }] }],
    },
    'POST /api/catalogue/reservations': { orderRef: 'sweep-order-new', lines: [{ sku: s.sku, quantity: 1 }] },
  };
}

/** JSON text sent as written (JSON.stringify cannot write a "__proto__" key or a truncated document). */
class RawJson {
  constructor(readonly text: string) {}
}

const VALID_CSV = 'slug,name,sku,price,stock\nsweep-csv,Sweep CSV,SWEEP-CSV-1,1000,3\n';

/** Cursors are opaque to clients, so forged ones must be refused or read as a position, never crash. */
function forgedCursorQueries(): Array<{ label: string; query: string; expect: Expectation }> {
  const cursor = (data: unknown) =>
    Buffer.from(data instanceof RawJson ? data.text : JSON.stringify(data)).toString('base64url');
  const forged: Array<[string, unknown]> = [
    ['newest', { s: 'newest', k: '2024-13-45T25:61:61.000000Z', id: 'x' }],
    ['newest', { s: 'newest', k: '0000-00-00T00:00:00.000000Z', id: 'x' }],
    ['newest', { s: 'newest', k: '2023-02-30T00:00:00.000000Z', id: 'x' }],
    ['newest', { s: 'newest', k: '9999-12-31T23:59:59.999999Z', id: 'x'.repeat(64) }],
    ['name', { s: 'name', k: 'a\u0000b', id: 'x' }],
    ['name', { s: 'name', k: 'x'.repeat(1000), id: 'x' }],
    ['price', { s: 'price', k: 2147483647, id: 'x' }],
    ['-price', { s: '-price', k: -2147483647, id: 'x' }],
    ['price', { s: 'price', k: 1e300, id: 'x' }],
    ['price', { s: 'price', k: '1', id: 'x' }],
    ['relevance', { s: 'relevance', o: 1_000_000 }],
    ['relevance', { s: 'relevance', o: -1 }],
    ['price', new RawJson('{"s":"price","k":1,"id":"x","__proto__":{"polluted":true}}')],
    ['price', new RawJson('{"s":"price","k":1,"id":"x"')],
    ['name', null],
    ['name', []],
    ['name', 'text'],
  ];
  const queries = forged.map(([sort, data]): { label: string; query: string; expect: Expectation } => ({
    label: `forged cursor ${data instanceof RawJson ? data.text : JSON.stringify(data)}`.slice(0, 60),
    query: `sort=${sort}${sort === 'relevance' ? '&q=sweep' : ''}&cursor=${cursor(data)}`,
    expect: 'survive',
  }));
  queries.push({
    label: 'cursor of another sort',
    query: `sort=price&cursor=${cursor({ s: 'name', k: 'a', id: 'x' })}`,
    expect: 'reject',
  });
  return queries;
}

/**
 * Path parameters that name real rows, so that a request getting past validation would really act.
 * Writes that take no body (archive, release, commit) get names of rows that do not exist instead:
 * with nothing to validate, a junk query or body on a real row would be obeyed, as it may be.
 */
function pathParams(operation: Operation, s: Seeded): Record<string, string> {
  const acts = operation.method !== 'GET' && !operation.spec.requestBody;
  const id = operation.path.includes('/variants/')
    ? s.variantId
    : operation.path.includes('/categories/')
      ? s.categoryId
      : s.productId;
  return {
    id: acts ? 'missing-id' : id,
    idOrSlug: s.productSlug,
    name: `${s.productSlug}-1.svg`,
    sku: acts ? 'MISSING-SKU' : s.sku,
    orderRef: acts ? 'missing-order' : s.orderRef,
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
  const media = operation.spec.requestBody?.content ?? {};
  const jsonSchema = media['application/json']?.schema;
  const acceptsCsv = 'text/csv' in media;
  const valid = bodies[key];
  if (operation.spec.requestBody && valid === undefined) throw new Error(`no valid body for ${key}`);
  const validJson = valid === undefined ? undefined : JSON.stringify(valid);
  const json = { ...staffHeaders, 'content-type': 'application/json' };
  const add = (label: string, request: Omit<BadRequest, 'label' | 'method'>) =>
    requests.push({ label, method: operation.method, ...request });

  // Path parameters: each junk value in place of each parameter, with and without the staff token.
  const names = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  for (const name of names) {
    for (const junk of PATH_JUNK) {
      const url = urlOf(operation, { ...params, [name]: junk });
      for (const headers of [staffHeaders, {}]) {
        add(`path ${name}=${junk.slice(0, 20)}`, {
          url,
          headers: validJson ? { ...headers, 'content-type': 'application/json' } : headers,
          payload: validJson,
          expect: 'reject',
        });
      }
    }
  }
  add('extra path segment', {
    url: `${urlOf(operation, params)}/extra`,
    headers: staffHeaders,
    expect: 'reject',
  });

  // Query strings. Where a query is declared the body (if any) is valid, so only the query can be at
  // fault; a route that declares none ignores the query, so it gets no body to act on.
  const declaresQuery = (operation.spec.parameters ?? []).some((p) => p.in === 'query');
  for (const { query, expect } of queryCases(operation)) {
    const payload = declaresQuery ? validJson : undefined;
    add(`query ${query.slice(0, 40)}`, {
      url: urlOf(operation, params, query),
      headers: payload ? json : staffHeaders,
      payload,
      expect,
    });
  }

  if (key === 'GET /api/catalogue/products') {
    for (const { label, query, expect } of forgedCursorQueries())
      add(label, { url: urlOf(operation, params, query), headers: staffHeaders, expect });
  }

  if (jsonSchema && valid !== undefined && validJson !== undefined) {
    const url = urlOf(operation, params);
    const send = (label: string, payload: string, contentType = 'application/json') =>
      add(label, {
        url,
        headers: { ...staffHeaders, 'content-type': contentType },
        payload,
        expect: 'reject',
      });
    send('empty JSON body', '');
    // The valid body with one byte that is no UTF-8 inside its first string: never stored as U+FFFD.
    const quote = validJson.indexOf('":"') + 3;
    if (quote > 2) {
      add('JSON with a byte that is not UTF-8', {
        url,
        headers: json,
        payload: Buffer.concat([
          Buffer.from(validJson.slice(0, quote)),
          Buffer.from([0xff]),
          Buffer.from(validJson.slice(quote)),
        ]),
        expect: 'reject',
      });
    }
    for (const text of NOT_JSON) send(`not JSON ${JSON.stringify(text).slice(0, 30)}`, text);
    for (const text of wrongRootBodies(jsonSchema)) send(`wrong root type ${text}`, text);
    send('deeply nested junk', deeplyNestedBody(5000));
    send('over the body limit', `{"junk":"${'x'.repeat(bodyLimit)}"}`);
    for (const m of mutations(jsonSchema, valid)) {
      const text = JSON.stringify(m.value);
      send(`field ${m.field} = ${(text ?? 'undefined').slice(0, 40)}`, text);
    }
    // A string as long as the body limit allows, in the first field that takes a bounded string.
    const props = jsonSchema.properties ?? jsonSchema.anyOf?.find((s) => s.properties)?.properties ?? {};
    const field = Object.entries(props).find(
      ([, p]) => p.type === 'string' && p.maxLength !== undefined,
    )?.[0];
    if (field && typeof valid === 'object') {
      send(
        `huge ${field}`,
        JSON.stringify({ ...valid, [field]: 'x'.repeat(bodyLimit - validJson.length - 100) }),
      );
    }
    // The right document under the wrong media type, and media types no route reads.
    send('JSON as text/plain', validJson, 'text/plain');
    if (!acceptsCsv) send('JSON as text/csv', validJson, 'text/csv');
    send('JSON as application/jsonx', validJson, 'application/jsonx');
    send('JSON as application/json-patch+json', validJson, 'application/json-patch+json');
    send('form body', 'name=x&sku=y', 'application/x-www-form-urlencoded');
    send(
      'multipart body',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--',
      'multipart/form-data; boundary=b',
    );
    send('XML body', '<product><name>x</name></product>', 'application/xml');
    send('junk content type', validJson, 'not a media type');
    add('JSON without a content type', { url, headers: staffHeaders, payload: validJson, expect: 'reject' });
    if (key === 'POST /api/catalogue/admin/import') {
      // Items are checked one by one and reported: junk items are skipped (200) or the file refused, never a crash.
      const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
      for (const items of [
        '[{"bogus":1},42,null,"text",[],true]',
        `[{"name":"Deep","variants":${deep}}]`,
        `[${deep}]`,
        '[{"name":"x","slug":"sweep-junk","variants":[{"sku":"SWEEP-JUNK","price":{"amount":1e308,"currency":"EUR"}}]}]',
        '[{"name":"x","slug":"sweep-junk","categorySlug":"no-such-category"}]',
        `[${Array.from({ length: 2000 }, () => '{"name":""}').join(',')}]`,
      ]) {
        add(`import items ${items.slice(0, 30)}`, { url, headers: json, payload: items, expect: 'survive' });
      }
    }
    if (acceptsCsv) {
      send('CSV as application/json', VALID_CSV);
      send('JSON as text/csv', validJson, 'text/csv');
      send('empty CSV', '', 'text/csv');
      send('CSV with unknown columns', 'not,a,header\n1,2,3', 'text/csv');
      send('CSV with an open quote', 'slug,name,sku,price\n"sweep-x,X,SWEEP-X,1', 'text/csv');
      send('CSV of control characters', '\u0000\u0001\u0002', 'text/csv');
      add('CSV with a byte that is not UTF-8', {
        url,
        headers: { ...staffHeaders, 'content-type': 'text/csv' },
        payload: Buffer.concat([
          Buffer.from(VALID_CSV.replace('Sweep CSV', 'Sweep')),
          Buffer.from([0xe9, 0x0a]),
        ]),
        expect: 'reject',
      });
      // A readable header with unusable rows: the rows are reported and skipped, so 200 is fine.
      for (const row of [
        'sweep-bad,Bad,SWEEP-BAD,abc,1',
        'sweep-bad,Bad,SWEEP-BAD,99999999999999999999,1',
        'sweep-bad,Bad,SWEEP-BAD,100,-5',
        ' \u0000<b>,Bad,\u0000,100,1',
      ]) {
        add(`CSV row ${row.slice(0, 30)}`, {
          url,
          headers: { ...staffHeaders, 'content-type': 'text/csv' },
          payload: `slug,name,sku,price,stock\n${row}\n`,
          expect: 'survive',
        });
      }
    }
  }

  // Staff routes refuse every caller without the right token before looking at anything else.
  if (operation.staffOnly) {
    const url = urlOf(operation, params);
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      'Bearer ',
      'Basic dGVzdDp0ZXN0',
      `Bearer ${'x'.repeat(8000)}`,
    ]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      for (const payload of validJson ? [validJson, '{', 'null'] : [undefined]) {
        requests.push({
          label: `no staff token (${authorization?.slice(0, 16) ?? 'none'})`,
          method: operation.method,
          url,
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

interface Outcome {
  request: BadRequest;
  status: number;
  contentType: string;
  requestId: string;
  body: string;
}

/** What is wrong with a response, or null: the status against the expectation, then the problem document. */
function faultOf({ request, status, contentType, requestId, body }: Outcome): string | null {
  if (status >= 500) return `answered ${status}`;
  if (request.expect === 'reject' && (status < 400 || status >= 500)) return `answered ${status}, not a 4xx`;
  if (request.status !== undefined && status !== request.status)
    return `answered ${status}, not ${request.status}`;
  if (status < 400) return null;
  if (!/^application\/problem\+json/.test(contentType)) return `a ${status} with content type ${contentType}`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `a ${status} whose body is not JSON`;
  }
  for (const member of ['type', 'title', 'detail'] as const) {
    if (typeof problem[member] !== 'string' || !(problem[member] as string).length)
      return `a ${status} problem without ${member}`;
  }
  if (problem.status !== status) return `a ${status} problem saying status ${String(problem.status)}`;
  if (typeof problem.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(problem.code))
    return `a ${status} problem without a machine-readable code`;
  if (!requestId || problem.requestId !== requestId) return `a ${status} problem without its request id`;
  if (String(problem.type).endsWith('/validation') && typeof problem.field !== 'string')
    return `a validation problem without field`;
  return null;
}

describeEachBackend('bad input to every route', (backend) => {
  let shop: ShopApp;
  let seeded: Seeded;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
    seeded = await seed(shop);
  });

  test('every malformed request to every documented route gets a 4xx problem and changes nothing', async () => {
    const docResponse = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(docResponse.statusCode, 200);
    const operations = operationsOf(docResponse.json() as OpenApiDocument);
    assert.ok(operations.length >= 25, `only ${operations.length} operations documented`);
    const bodies = validBodies(seeded);
    const bodyLimit = shop.config.server.bodyLimit;

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
      const outcome: Outcome = {
        request,
        status: res.statusCode,
        contentType: String(res.headers['content-type'] ?? ''),
        requestId: String(res.headers['x-request-id'] ?? ''),
        body: res.body,
      };
      const fault = faultOf(outcome);
      if (fault) {
        faults.push(
          `${request.method} ${request.url.slice(0, 100)} [${request.label}]: ${fault} ${res.body.slice(0, 200)}`,
        );
      }
    };

    for (const operation of operations) {
      for (const request of requestsFor(operation, seeded, bodies, bodyLimit)) await run(request);
    }
    // Methods no route of a path answers.
    const paths = new Set(operations.map((o) => o.path));
    for (const path of paths) {
      const declared = operations.filter((o) => o.path === path);
      const sample = declared[0]!;
      const url = urlOf(sample, pathParams(sample, seeded));
      for (const method of METHODS.filter((m) => !declared.some((o) => o.method === m))) {
        await run({ label: 'undeclared method', method, url, headers: staffHeaders, expect: 'reject' });
      }
    }

    assert.deepEqual(faults.slice(0, 40), [], `${faults.length} of ${sent} requests answered wrongly`);
    assert.ok(sent > 1000, `only ${sent} requests sent`);
    assert.deepEqual(await fingerprint(shop), before);
  });

  test('the valid bodies the sweep breaks are accepted as they are, so each refusal was about the broken part', async () => {
    const docResponse = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const operations = operationsOf(docResponse.json() as OpenApiDocument);
    const bodies = validBodies(seeded);
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
      if (operation.path.endsWith('/import')) assert.deepEqual(res.json().errors, [], res.body);
    }
    const csv = await shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/import',
      headers: { ...staffHeaders, 'content-type': 'text/csv' },
      payload: VALID_CSV,
    });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.equal((csv.json() as { created: number }).created, 1);
  });
});
