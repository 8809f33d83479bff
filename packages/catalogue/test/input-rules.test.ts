import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { InvalidInput, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import type { ImportReport, StaffProduct } from '../src/schemas/admin.js';
import { catalogueApi, contextOf, createProduct, staffHeaders, unique } from './staff.js';

/** Attribute names the `attr` filter cannot take, so no write path may store them. */
const BAD_ATTRIBUTE_NAMES = ['', 'Size', 'has space', 'a'.repeat(80), '1st', 'x:y'];

/** Image URLs that are neither http(s) nor a path on this site. */
const BAD_IMAGE_URLS = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox(1)',
  '//evil.example/a.png',
  '/\\evil.example/a.png',
  ' https://cdn.example.com/a.jpg',
  'cdn.example.com/a.jpg',
];
const GOOD_IMAGE_URLS = [
  'https://cdn.example.com/a.jpg',
  'http://cdn.example.com:8080/a.jpg?size=2#top',
  '/api/catalogue/images/a-1.svg',
];

interface Problem {
  type: string;
  code?: string;
  detail: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
}

describeEachBackend('catalogue input rules on every write path', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
  });

  const eur = (amount: number) => ({ amount, currency: 'EUR' });
  const staff = (method: 'POST' | 'PATCH', url: string, payload: unknown) =>
    shop.app.inject({
      method,
      url: `/api/catalogue${url}`,
      headers: { ...staffHeaders, 'content-type': 'application/json' },
      payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
    });
  const importCsv = (csv: string | Buffer) =>
    shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/import',
      headers: { ...staffHeaders, 'content-type': 'text/csv' },
      payload: csv,
    });
  const staffProduct = async (id: string) =>
    (
      await shop.app.inject({ url: `/api/catalogue/admin/products/${id}`, headers: staffHeaders })
    ).json() as StaffProduct;
  const total = async () =>
    (await catalogueApi(shop).admin.listProductsForStaff(contextOf(shop), { pageSize: 1 })).total;
  const refusal = (res: { statusCode: number; body: string; json(): unknown }, status = 400) => {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Problem;
  };

  test('attribute names the attr filter cannot take are refused on product create, variant create and variant update, and nothing is written', async () => {
    const product = await createProduct(shop, {
      name: unique('Attributed'),
      variants: [{ sku: unique('ATT'), attributes: { size: 'm' } }],
    });
    const variant = product.variants[0]!;
    const count = await total();
    for (const name of BAD_ATTRIBUTE_NAMES) {
      const attributes = { size: 'm', [name]: 'x' };
      const created = refusal(
        await staff('POST', '/admin/products', {
          name: 'Refused',
          variants: [{ sku: unique('REF'), price: eur(100), attributes }],
        }),
      );
      assert.ok(created.field?.startsWith('variants.0.attributes'), `${name}: ${created.field}`);
      assert.match(created.errors![0]!.message, /is not an allowed name/, name);

      const added = refusal(
        await staff('POST', `/admin/products/${product.id}/variants`, {
          sku: unique('REF'),
          price: eur(100),
          attributes,
        }),
      );
      assert.ok(added.field?.startsWith('attributes'), `${name}: ${added.field}`);

      const updated = refusal(await staff('PATCH', `/admin/variants/${variant.id}`, { attributes }));
      assert.ok(updated.field?.startsWith('attributes'), `${name}: ${updated.field}`);

      await assert.rejects(
        catalogueApi(shop).admin.createProduct(contextOf(shop), {
          name: 'Refused in process',
          variants: [{ sku: unique('REF'), price: eur(100), attributes }],
        }),
        (err: InvalidInput) =>
          err instanceof InvalidInput && /^variants\.0\.attributes/.test(err.field ?? ''),
      );
    }
    assert.equal(await total(), count);
    const after = await staffProduct(product.id);
    assert.deepEqual(
      after.variants.map((v) => v.attributes),
      [{ size: 'm' }],
    );
  });

  test('a name the write paths accept can be filtered on: 50 characters, digits, _ and -', async () => {
    const name = `f${'it_type-2'.repeat(5)}`.padEnd(50, 'x');
    assert.equal(name.length, 50);
    const product = await createProduct(shop, {
      name: unique('Filterable'),
      variants: [{ sku: unique('FLT'), onHand: 1, attributes: { [name]: 'Slim' } }],
    });
    const res = await shop.app.inject({
      url: `/api/catalogue/products?attr=${encodeURIComponent(`${name}:Slim`)}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const listing = res.json() as {
      items: Array<{ id: string }>;
      facets: { attributes: Array<{ name: string }> };
    };
    assert.deepEqual(
      listing.items.map((item) => item.id),
      [product.id],
    );
    assert.ok(listing.facets.attributes.some((facet) => facet.name === name));
  });

  test('a JSON import with a bad attribute name skips that product naming the key; a CSV option column that makes no attribute name refuses the file', async () => {
    const [bad, good] = [unique('bad-attr'), unique('good-attr')];
    const res = await staff('POST', '/admin/import', [
      {
        slug: bad,
        name: 'Bad',
        variants: [{ sku: unique('BA'), price: eur(100), attributes: { Size: 'M' } }],
      },
      {
        slug: good,
        name: 'Good',
        variants: [{ sku: unique('GA'), price: eur(100), attributes: { size: 'M' } }],
      },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json() as ImportReport;
    assert.equal(report.created, 1);
    assert.deepEqual(
      report.errors.map((e) => [e.row, e.field]),
      [[1, 'variants.0.attributes.Size']],
    );
    assert.match(report.errors[0]!.message, /is not an allowed name/);

    const count = await total();
    const column = `option:${'x'.repeat(80)}`;
    const csv = await importCsv(
      `slug,name,sku,price,${column}\n${unique('csv-attr')},C,${unique('CA')},100,M\n`,
    );
    const problem = refusal(csv, 422);
    assert.equal(problem.code, 'csv_bad_header');
    assert.equal(problem.field, column);
    assert.match(problem.detail, /at most 50 characters/);
    // JSON bodies may not hold a constructor key, so no attribute may be named so: it could not be sent back.
    const reserved = refusal(
      await importCsv(
        `slug,name,sku,price,option:Constructor\n${unique('csv-ctor')},C,${unique('CC')},100,M\n`,
      ),
      422,
    );
    assert.equal(reserved.code, 'csv_bad_header');
    assert.match(reserved.detail, /constructor, which JSON bodies may not hold/);
    assert.equal(await total(), count);
  });

  test('image URLs other than http(s) or a path on this site are refused on create, update, JSON import and CSV import', async () => {
    const product = await createProduct(shop, {
      name: unique('Pictured'),
      variants: [{ sku: unique('PIC') }],
    });
    const before = (await staffProduct(product.id)).images;
    const count = await total();
    for (const url of BAD_IMAGE_URLS) {
      const images = [{ url, alt: 'x' }];
      const created = refusal(await staff('POST', '/admin/products', { name: 'Refused', images }));
      assert.equal(created.field, 'images.0.url', url);
      const updated = refusal(await staff('PATCH', `/admin/products/${product.id}`, { images }));
      assert.equal(updated.field, 'images.0.url', url);

      const imported = await staff('POST', '/admin/import', [{ slug: unique('img'), name: 'Img', images }]);
      assert.equal(imported.statusCode, 200, imported.body);
      const report = imported.json() as ImportReport;
      assert.equal(report.created, 0, url);
      assert.deepEqual(
        report.errors.map((e) => [e.row, e.field]),
        [[1, 'images.0.url']],
      );
      assert.match(report.errors[0]!.message, /must be an http\(s\) URL/);

      const cell = `"${url.replaceAll('"', '""')}"`;
      const csv = await importCsv(
        `slug,name,sku,price,image_url\n${unique('img')},Img,${unique('IMG')},100,${cell}\n`,
      );
      assert.equal(csv.statusCode, 200, csv.body);
      const csvReport = csv.json() as ImportReport;
      assert.equal(csvReport.created, 0, url);
      assert.deepEqual(
        csvReport.errors.map((e) => [e.row, e.field]),
        [[2, 'image_url']],
      );
    }
    assert.equal(await total(), count);
    assert.deepEqual((await staffProduct(product.id)).images, before);

    const accepted = await staff('PATCH', `/admin/products/${product.id}`, {
      images: GOOD_IMAGE_URLS.map((url) => ({ url, alt: 'ok' })),
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.deepEqual(
      (accepted.json() as StaffProduct).images.map((image) => image.url),
      GOOD_IMAGE_URLS,
    );
  });

  test('a bad CSV cell is reported with what its column expects, not "Expected union value"', async () => {
    const slug = unique('said');
    const csv = [
      'slug,name,sku,price,status,category_slug,compare_at_price',
      `${slug},Said,${unique('SAID')},100,bogus,Not A Slug,9999999999`,
    ].join('\n');
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 200, res.body);
    const messages = Object.fromEntries((res.json() as ImportReport).errors.map((e) => [e.field, e.message]));
    assert.equal(messages.status, 'must be one of draft, published');
    assert.match(messages.category_slug ?? '', /^must be a slug: lower-case letters and digits/);
    assert.match(messages.compare_at_price ?? '', /less or equal to 2000000000/);
    for (const message of Object.values(messages)) assert.doesNotMatch(message, /union/);
  });

  test('CSV bytes that are not UTF-8 are refused with 400 invalid_utf8 naming the line, and nothing is written', async () => {
    const count = await total();
    const csv = Buffer.concat([
      Buffer.from(`slug,name,sku,price\n${unique('ok')},Fine,${unique('OK')},100\n${unique('latin')},Caf`),
      Buffer.from([0xe9]),
      Buffer.from(`,${unique('LAT')},100\n`),
    ]);
    const problem = refusal(await importCsv(csv));
    assert.equal(problem.code, 'invalid_utf8');
    assert.equal(problem.field, 'body');
    assert.match(problem.detail, /^body is not valid UTF-8: line 3 /);
    assert.equal(await total(), count);
  });

  test('text PostgreSQL would not keep as sent is refused on every write path: a lone surrogate or non-UTF-8 bytes in JSON, a lone surrogate in an in-process import', async () => {
    const count = await total();
    const surrogate = refusal(await staff('POST', '/admin/products', '{"name":"Caf\\ud800"}'));
    assert.equal(surrogate.field, 'name');
    assert.match(surrogate.detail, /lone UTF-16 surrogate/);

    const bytes = Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xff]), Buffer.from('"}')]);
    const notUtf8 = refusal(await staff('POST', '/admin/products', bytes));
    assert.equal(notUtf8.code, 'invalid_utf8');
    assert.equal(notUtf8.field, 'name');

    const proto = refusal(
      await staff('POST', '/admin/import', '[{"name":"x","__proto__":{"status":"published"}}]'),
    );
    assert.equal(proto.code, 'forbidden_key');
    assert.equal(proto.field, '0.__proto__');

    await assert.rejects(
      catalogueApi(shop).admin.importProducts(contextOf(shop), {
        format: 'csv',
        text: `slug,name,sku,price\n${unique('lone')},Caf\ud800,${unique('LONE')},100\n`,
      }),
      (err: InvalidInput) =>
        err instanceof InvalidInput &&
        err.details.code === 'invalid_text' &&
        /^Line 2 of the CSV must not contain a lone UTF-16 surrogate/.test(err.message),
    );
    const report = await catalogueApi(shop).admin.importProducts(contextOf(shop), {
      format: 'json',
      items: [{ slug: unique('lone'), name: 'Caf\udfff' }],
    });
    assert.equal(report.created, 0);
    assert.deepEqual(
      report.errors.map((e) => [e.row, e.field]),
      [[1, 'name']],
    );
    assert.match(report.errors[0]!.message, /lone UTF-16 surrogate/);
    assert.equal(await total(), count);
  });

  test('integer query parameters of catalogue routes take decimal digits only', async () => {
    for (const url of [
      '/api/catalogue/products?limit=0x10',
      '/api/catalogue/products?limit=1e1',
      '/api/catalogue/products?minPrice=%2B100',
      '/api/catalogue/admin/products?pageSize=16.0',
      '/api/catalogue/admin/products?page=%201',
    ]) {
      const res = await shop.app.inject({ url, headers: staffHeaders });
      const problem = refusal(res);
      assert.match(problem.detail, /must be an integer written in decimal digits/, url);
    }
    const ok = await shop.app.inject({ url: '/api/catalogue/products?limit=16' });
    assert.equal(ok.statusCode, 200, ok.body);
  });
});
