import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import type { CatalogueTables } from '../src/tables.js';
import { createProduct, staffHeaders, unique } from './staff.js';

describeEachBackend('catalogue staff API', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
  });

  const staff = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
    shop.app.inject({
      method,
      url: `/api/catalogue${url}`,
      headers: staffHeaders,
      ...(payload ? { payload } : {}),
    });
  const eur = (amount: number) => ({ amount, currency: 'EUR' });

  /** Row counts and a fingerprint of every writable column, to prove a refused request changed nothing. */
  async function snapshot() {
    const db = shop.database.db as Kysely<CatalogueTables>;
    const schema = shop.database.schemaFor('catalogue');
    const t = (name: string) => sql.table(`${schema}.${name}`);
    const { rows } = await sql<{ products: number; variants: number; categories: number; digest: string }>`
      select (select count(*)::int from ${t('products')}) as products,
             (select count(*)::int from ${t('variants')}) as variants,
             (select count(*)::int from ${t('categories')}) as categories,
             md5(coalesce((select string_agg(concat_ws('|', id, slug, name, status, category_id, min_price, max_price, updated_at), ',' order by id) from ${t('products')}), '') ||
                 coalesce((select string_agg(concat_ws('|', id, sku, price, on_hand, reserved, currency, updated_at), ',' order by id) from ${t('variants')}), '') ||
                 coalesce((select string_agg(concat_ws('|', id, slug, path, updated_at), ',' order by id) from ${t('categories')}), '')) as digest
    `.execute(db);
    return rows[0]!;
  }

  test('staff routes answer 401 problems without the token or with a wrong one, before looking at the body', async () => {
    const routes: Array<['GET' | 'POST' | 'PATCH' | 'PUT', string]> = [
      ['POST', '/api/catalogue/admin/products'],
      ['GET', '/api/catalogue/admin/products'],
      ['GET', '/api/catalogue/admin/products/abc'],
      ['PATCH', '/api/catalogue/admin/products/abc'],
      ['POST', '/api/catalogue/admin/products/abc/archive'],
      ['POST', '/api/catalogue/admin/products/abc/variants'],
      ['PATCH', '/api/catalogue/admin/variants/abc'],
      ['POST', '/api/catalogue/admin/categories'],
      ['PATCH', '/api/catalogue/admin/categories/abc'],
      ['PUT', '/api/catalogue/admin/stock/ABC'],
      ['POST', '/api/catalogue/admin/import'],
    ];
    const before = await snapshot();
    for (const [method, url] of routes) {
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: 'Basic abc' }]) {
        const res = await shop.app.inject({
          method,
          url,
          headers,
          payload: method === 'GET' ? undefined : { bogus: 1 },
        });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        assert.equal(res.json().status, 401);
      }
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('a product created with variants is readable in full by staff, and by shoppers once published', async () => {
    const name = unique('Linen Shirt');
    const skus = [unique('LS-S'), unique('LS-M')];
    const created = await staff('POST', '/admin/products', {
      name,
      description: 'A light shirt for summer.',
      options: [{ name: 'Size', values: ['S', 'M'] }],
      images: [{ url: '/images/linen-shirt.jpg', alt: 'Linen shirt' }],
      variants: [
        { sku: skus[0], price: eur(3900), attributes: { size: 'S' }, onHand: 4, weightGrams: 250 },
        { sku: skus[1], price: eur(4200), compareAtPrice: eur(5000), attributes: { size: 'M' }, onHand: 0 },
      ],
    });
    assert.equal(created.statusCode, 201, created.body);
    const product = created.json();
    assert.equal(product.status, 'draft');
    assert.match(product.slug, /^linen-shirt-/);
    assert.deepEqual(product.priceRange, { min: eur(3900), max: eur(4200) });

    const read = await staff('GET', `/admin/products/${product.id}`);
    assert.equal(read.statusCode, 200);
    const detail = read.json();
    assert.deepEqual(detail, product);
    assert.deepEqual(
      detail.variants.map(
        (v: { sku: string; stock: unknown; compareAtPrice: unknown; weightGrams: unknown }) => [
          v.sku,
          v.stock,
          v.compareAtPrice,
          v.weightGrams,
        ],
      ),
      [
        [skus[0], { onHand: 4, reserved: 0, available: 4 }, null, 250],
        [skus[1], { onHand: 0, reserved: 0, available: 0 }, eur(5000), null],
      ],
    );
    assert.deepEqual(detail.options, [{ name: 'Size', values: ['S', 'M'] }]);

    const listed = await staff('GET', `/admin/products?q=${skus[1]}&status=draft`);
    assert.equal(listed.statusCode, 200);
    assert.deepEqual(
      listed
        .json()
        .items.map((i: { id: string; variantCount: number; available: number }) => [
          i.id,
          i.variantCount,
          i.available,
        ]),
      [[product.id, 2, 4]],
    );
    assert.equal(listed.json().total, 1);

    assert.equal((await shop.app.inject({ url: `/api/catalogue/products/${product.slug}` })).statusCode, 404);
    const published = await staff('PATCH', `/admin/products/${product.id}`, { status: 'published' });
    assert.equal(published.statusCode, 200);
    const shopper = await shop.app.inject({ url: `/api/catalogue/products/${product.slug}` });
    assert.equal(shopper.statusCode, 200);
    assert.equal(shopper.json().name, name);
  });

  test('slugs are made from names and kept unique; a slug that is taken is refused with 409', async () => {
    const name = unique('Café Crème');
    const first = await createProduct(shop, { name, variants: [{ sku: unique('CC') }] });
    const second = await createProduct(shop, { name, variants: [{ sku: unique('CC') }] });
    assert.match(first.slug, /^cafe-creme-/);
    assert.equal(second.slug, `${first.slug}-2`);

    const before = await snapshot();
    const taken = await staff('POST', '/admin/products', { name: 'Other', slug: first.slug });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.json().detail, new RegExp(first.slug));
    const renamed = await staff('PATCH', `/admin/products/${second.id}`, { slug: first.slug });
    assert.equal(renamed.statusCode, 409);
    assert.deepEqual(await snapshot(), before);
  });

  test('products and categories created at once under one name each get a slug of their own', async () => {
    const name = unique('Racing Name');
    const base = name.toLowerCase().replaceAll(' ', '-');
    const expected = [base, ...Array.from({ length: 7 }, (_, i) => `${base}-${i + 2}`)].sort();
    for (const url of ['/admin/products', '/admin/categories']) {
      const created = await Promise.all(Array.from({ length: 8 }, () => staff('POST', url, { name })));
      assert.deepEqual(
        created.map((r) => r.statusCode),
        Array(8).fill(201),
        created.map((r) => r.body).join('\n'),
      );
      assert.deepEqual(created.map((r) => r.json().slug as string).sort(), expected);
    }
  });

  test('bodies are validated strictly: unknown or server-owned properties and uncoerced types are 400s naming the field', async () => {
    const product = await createProduct(shop, {
      name: unique('Strict'),
      variants: [{ sku: unique('ST'), onHand: 3 }],
    });
    const variantId = product.variants[0]!.id;
    const before = await snapshot();
    const cases: Array<[string, 'POST' | 'PATCH' | 'PUT', string, object, string]> = [
      ['unknown property', 'POST', '/admin/products', { name: 'X', colour: 'red' }, 'colour'],
      [
        'price as text',
        'POST',
        '/admin/products',
        { name: 'X', variants: [{ sku: 'X-1', price: '100' }] },
        'variants.0.price',
      ],
      [
        'amount as text',
        'POST',
        '/admin/products',
        { name: 'X', variants: [{ sku: 'X-1', price: { amount: '100', currency: 'EUR' } }] },
        'variants.0.price.amount',
      ],
      ['server-owned id', 'POST', '/admin/products', { id: 'mine', name: 'X' }, 'id'],
      ['server-owned price range', 'PATCH', `/admin/products/${product.id}`, { minPrice: 1 }, 'minPrice'],
      ['archiving through PATCH', 'PATCH', `/admin/products/${product.id}`, { status: 'archived' }, 'status'],
      ['reserved stock', 'PATCH', `/admin/variants/${variantId}`, { reserved: 0 }, 'reserved'],
      ['stock through the variant', 'PATCH', `/admin/variants/${variantId}`, { onHand: 100 }, 'onHand'],
      ['negative stock', 'PUT', `/admin/stock/${product.variants[0]!.sku}`, { onHand: -1 }, 'onHand'],
      ['stock as text', 'PUT', `/admin/stock/${product.variants[0]!.sku}`, { onHand: '5' }, 'onHand'],
      ['empty patch', 'PATCH', `/admin/products/${product.id}`, {}, 'body'],
    ];
    for (const [what, method, url, payload, field] of cases) {
      const res = await staff(method, url, payload);
      assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
      const problem = res.json();
      assert.equal(problem.type, 'https://shopstack.dev/problems/validation', what);
      assert.ok(
        problem.errors.some((e: { field: string }) => e.field === field),
        `${what}: expected a problem naming ${field}, got ${JSON.stringify(problem.errors)}`,
      );
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('a price in another currency is refused with 422 naming the field, and nothing is written', async () => {
    const product = await createProduct(shop, {
      name: unique('Currency'),
      variants: [{ sku: unique('CU') }],
    });
    const before = await snapshot();
    const created = await staff('POST', '/admin/products', {
      name: unique('Dollar'),
      variants: [
        { sku: unique('D'), price: eur(100) },
        { sku: unique('D'), price: { amount: 100, currency: 'USD' } },
      ],
    });
    assert.equal(created.statusCode, 422);
    assert.equal(created.json().field, 'variants.1.price.currency');

    const added = await staff('POST', `/admin/products/${product.id}/variants`, {
      sku: unique('D'),
      price: eur(100),
      compareAtPrice: { amount: 200, currency: 'GBP' },
    });
    assert.equal(added.statusCode, 422);
    assert.equal(added.json().field, 'compareAtPrice.currency');

    const patched = await staff('PATCH', `/admin/variants/${product.variants[0]!.id}`, {
      price: { amount: 5, currency: 'USD' },
    });
    assert.equal(patched.statusCode, 422);
    assert.equal(patched.json().field, 'price.currency');
    assert.deepEqual(await snapshot(), before);
  });

  test('a SKU that is already taken is refused with 409 and nothing is written', async () => {
    const sku = unique('DUP');
    const owner = await createProduct(shop, {
      name: unique('Owner'),
      variants: [{ sku }, { sku: unique('DUP') }],
    });
    const before = await snapshot();

    const again = await staff('POST', '/admin/products', {
      name: unique('Copy'),
      variants: [
        { sku: unique('NEW'), price: eur(1) },
        { sku, price: eur(1) },
      ],
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().sku, sku);

    const twice = await staff('POST', '/admin/products', {
      name: unique('Twice'),
      variants: [
        { sku: 'SAME-SKU-IN-ONE-BODY', price: eur(1) },
        { sku: 'SAME-SKU-IN-ONE-BODY', price: eur(2) },
      ],
    });
    assert.equal(twice.statusCode, 409);

    const added = await staff('POST', `/admin/products/${owner.id}/variants`, { sku, price: eur(1) });
    assert.equal(added.statusCode, 409);

    const renamed = await staff('PATCH', `/admin/variants/${owner.variants[1]!.id}`, { sku });
    assert.equal(renamed.statusCode, 409);
    assert.deepEqual(await snapshot(), before);
  });

  test('variants keep the product price range current', async () => {
    const product = await createProduct(shop, {
      name: unique('Ranged'),
      variants: [
        { sku: unique('R'), price: 2000 },
        { sku: unique('R'), price: 3000 },
      ],
    });
    const added = await staff('POST', `/admin/products/${product.id}/variants`, {
      sku: unique('R'),
      price: eur(1500),
    });
    assert.equal(added.statusCode, 201);
    assert.equal(added.json().position, 2);
    let read = (await staff('GET', `/admin/products/${product.id}`)).json();
    assert.deepEqual(read.priceRange, { min: eur(1500), max: eur(3000) });

    const patched = await staff('PATCH', `/admin/variants/${product.variants[0]!.id}`, {
      price: eur(9900),
      title: 'Large',
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().title, 'Large');
    read = (await staff('GET', `/admin/products/${product.id}`)).json();
    assert.deepEqual(read.priceRange, { min: eur(1500), max: eur(9900) });
  });

  test('moving a category rewrites the paths below it; moving it under its own descendant is 409', async () => {
    const create = async (name: string, parentId?: string) => {
      const res = await staff('POST', '/admin/categories', { name, ...(parentId ? { parentId } : {}) });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; path: string; slug: string };
    };
    const clothing = await create(unique('Clothing'));
    const outdoor = await create(unique('Outdoor'));
    const jackets = await create(unique('Jackets'), clothing.id);
    const rain = await create(unique('Rain jackets'), jackets.id);
    assert.equal(clothing.path, `/${clothing.id}/`);
    assert.equal(rain.path, `/${clothing.id}/${jackets.id}/${rain.id}/`);

    const moved = await staff('PATCH', `/admin/categories/${jackets.id}`, { parentId: outdoor.id });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().path, `/${outdoor.id}/${jackets.id}/`);
    assert.equal(moved.json().parentId, outdoor.id);
    const rainNow = (await staff('GET', `/admin/categories/${rain.id}`)).json();
    assert.equal(rainNow.path, `/${outdoor.id}/${jackets.id}/${rain.id}/`);
    assert.equal((await staff('GET', `/admin/categories/${clothing.id}`)).json().path, `/${clothing.id}/`);

    const before = await snapshot();
    const cycle = await staff('PATCH', `/admin/categories/${outdoor.id}`, { parentId: rain.id });
    assert.equal(cycle.statusCode, 409);
    const self = await staff('PATCH', `/admin/categories/${outdoor.id}`, { parentId: outdoor.id });
    assert.equal(self.statusCode, 409);
    const missing = await staff('PATCH', `/admin/categories/${outdoor.id}`, { parentId: 'no-such-category' });
    assert.equal(missing.statusCode, 422);
    assert.equal(missing.json().field, 'parentId');
    assert.deepEqual(await snapshot(), before);

    const toRoot = await staff('PATCH', `/admin/categories/${jackets.id}`, { parentId: null });
    assert.equal(toRoot.json().path, `/${jackets.id}/`);
    assert.equal(
      (await staff('GET', `/admin/categories/${rain.id}`)).json().path,
      `/${jackets.id}/${rain.id}/`,
    );
  });

  test('archiving withdraws a product from shoppers; staff still see it; archiving again is harmless', async () => {
    const product = await createProduct(shop, {
      name: unique('Retired'),
      variants: [{ sku: unique('RT'), onHand: 2 }],
    });
    assert.equal((await shop.app.inject({ url: `/api/catalogue/products/${product.slug}` })).statusCode, 200);

    const archived = await staff('POST', `/admin/products/${product.id}/archive`);
    assert.equal(archived.statusCode, 200);
    assert.equal(archived.json().status, 'archived');
    assert.equal((await shop.app.inject({ url: `/api/catalogue/products/${product.slug}` })).statusCode, 404);
    assert.equal((await staff('GET', `/admin/products/${product.id}`)).json().status, 'archived');
    assert.equal((await staff('POST', `/admin/products/${product.id}/archive`)).json().status, 'archived');

    const missing = await staff('POST', '/admin/products/no-such-product/archive');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /application\/problem\+json/);
  });
  test('the OpenAPI document describes every staff, import and reservation route as needing a bearer token', async () => {
    const res = await shop.app.inject({ url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const paths = res.json().paths as Record<
      string,
      Record<string, { security?: unknown; requestBody?: unknown }>
    >;
    const expected: Array<[string, string]> = [
      ['/api/catalogue/admin/products', 'post'],
      ['/api/catalogue/admin/products', 'get'],
      ['/api/catalogue/admin/products/{id}', 'get'],
      ['/api/catalogue/admin/products/{id}', 'patch'],
      ['/api/catalogue/admin/products/{id}/archive', 'post'],
      ['/api/catalogue/admin/products/{id}/variants', 'post'],
      ['/api/catalogue/admin/variants/{id}', 'patch'],
      ['/api/catalogue/admin/categories', 'post'],
      ['/api/catalogue/admin/categories/{id}', 'patch'],
      ['/api/catalogue/admin/stock/{sku}', 'put'],
      ['/api/catalogue/admin/import', 'post'],
      ['/api/catalogue/reservations', 'post'],
      ['/api/catalogue/reservations/{orderRef}/release', 'post'],
      ['/api/catalogue/reservations/{orderRef}/commit', 'post'],
    ];
    for (const [path, method] of expected) {
      const operation = paths[path]?.[method];
      assert.ok(operation, `${method} ${path} is documented`);
      assert.deepEqual(operation.security, [{ bearerAuth: [] }], `${method} ${path} needs a bearer token`);
    }
    const importBody = paths['/api/catalogue/admin/import']!.post!.requestBody as {
      content: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(importBody.content).sort(), ['application/json', 'text/csv']);
  });
});
