import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { ShopApp } from '@shopstack/kernel';
import {
  describeBadInputSweep,
  type BadRequest,
  type Expectation,
  type Operation,
  type SweepExamples,
} from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { createProduct, staffHeaders, unique } from './staff.js';

interface Seeded {
  productId: string;
  productSlug: string;
  variantId: string;
  sku: string;
  categoryId: string;
  orderRef: string;
  /** A small PNG the upload route takes, and the name of a file an upload of it stored. */
  png: Buffer;
  imageFile: string;
}

const UPLOAD = '/api/catalogue/admin/images';

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
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366aa' } })
    .png()
    .toBuffer();
  const upload = await shop.app.inject({
    method: 'POST',
    url: UPLOAD,
    headers: { ...staffHeaders, 'content-type': 'image/png' },
    payload: png,
  });
  assert.equal(upload.statusCode, 201, upload.body);
  return {
    png,
    imageFile: (upload.json() as { url: string }).url.split('/').at(-1)!,
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
    [`POST ${UPLOAD}`]: s.png,
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
    name: operation.path.includes('/images/files/') ? s.imageFile : `${s.productSlug}-1.svg`,
    sku: acts ? 'MISSING-SKU' : s.sku,
    orderRef: acts ? 'missing-order' : s.orderRef,
  };
}

/** The catalogue's own malformed requests: forged cursors, junk import items and junk CSV files. */
function extraRequests(operation: Operation, url: string, headers: Record<string, string>): BadRequest[] {
  const requests: BadRequest[] = [];
  const key = `${operation.method} ${operation.path}`;
  const add = (
    label: string,
    contentType: string,
    payload: string | Buffer,
    expect: Expectation = 'reject',
  ) =>
    requests.push({
      label,
      method: operation.method,
      url,
      headers: { ...headers, 'content-type': contentType },
      payload,
      expect,
    });

  if (key === 'GET /api/catalogue/products') {
    for (const { label, query, expect } of forgedCursorQueries())
      requests.push({ label, method: operation.method, url: `${url}?${query}`, headers, expect });
  }
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
      add(`import items ${items.slice(0, 30)}`, 'application/json', items, 'survive');
    }
  }
  if (key === `POST ${UPLOAD}`) {
    // Whatever the Content-Type says, only bytes that decode as an accepted image are taken.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>';
    add('text as image/png', 'image/png', 'not an image at all');
    add('empty image', 'image/png', '');
    add('SVG image', 'image/svg+xml', svg);
    add('SVG as image/png', 'image/png', svg);
    add('HTML as image/gif', 'image/gif', '<html><script>alert(1)</script></html>');
    add('PNG signature only', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    add('zeros as octet-stream', 'application/octet-stream', Buffer.alloc(4096));
    add('image as text/plain', 'text/plain', 'GIF89a');
    add('image as multipart', 'multipart/form-data; boundary=b', '--b\r\n\r\nGIF89a\r\n--b--');
    add('image as JSON', 'application/json', '{"url":"/a.webp"}');
    add('over the upload limit', 'image/png', Buffer.alloc(15 * 1024 * 1024 + 1));
  }
  if (operation.spec.requestBody && 'text/csv' in operation.spec.requestBody.content) {
    add('CSV as application/json', 'application/json', VALID_CSV);
    add('empty CSV', 'text/csv', '');
    add('CSV with unknown columns', 'text/csv', 'not,a,header\n1,2,3');
    add('CSV with an open quote', 'text/csv', 'slug,name,sku,price\n"sweep-x,X,SWEEP-X,1');
    add('CSV of control characters', 'text/csv', '\u0000\u0001\u0002');
    add(
      'CSV with a byte that is not UTF-8',
      'text/csv',
      Buffer.concat([Buffer.from(VALID_CSV.replace('Sweep CSV', 'Sweep')), Buffer.from([0xe9, 0x0a])]),
    );
    // A readable header with unusable rows: the rows are reported and skipped, so 200 is fine.
    for (const row of [
      'sweep-bad,Bad,SWEEP-BAD,abc,1',
      'sweep-bad,Bad,SWEEP-BAD,99999999999999999999,1',
      'sweep-bad,Bad,SWEEP-BAD,100,-5',
      ' \u0000<b>,Bad,\u0000,100,1',
    ]) {
      add(`CSV row ${row.slice(0, 30)}`, 'text/csv', `slug,name,sku,price,stock\n${row}\n`, 'survive');
    }
  }
  return requests;
}

async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const seeded = await seed(shop);
  return {
    // The whole document, with the kernel's own routes (health, metrics, the document): no other sweep covers them.
    pathPrefix: '/',
    validBodies: validBodies(seeded),
    pathParams: (operation) => pathParams(operation, seeded),
    // The upload's body is the file: its rightful caller sends it as an image.
    headersFor: (operation) =>
      operation.path === UPLOAD ? { ...staffHeaders, 'content-type': 'image/png' } : staffHeaders,
    extraRequests,
    checkAccepted(operation, response) {
      if (operation.path.endsWith('/import')) assert.deepEqual(response.json().errors, [], response.body);
    },
    async moreValidRequests() {
      const csv = await shop.app.inject({
        method: 'POST',
        url: '/api/catalogue/admin/import',
        headers: { ...staffHeaders, 'content-type': 'text/csv' },
        payload: VALID_CSV,
      });
      assert.equal(csv.statusCode, 200, csv.body);
      assert.equal((csv.json() as { created: number }).created, 1);
    },
  };
}

describeBadInputSweep('catalogue', {
  build: (backend) => backend.buildApp({ services: [catalogueService] }),
  prepare,
  minOperations: 31,
  minRequests: 2960,
});
