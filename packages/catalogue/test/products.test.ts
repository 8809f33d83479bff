import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { serviceContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { CatalogueApi } from '../src/api.js';
import { catalogueService } from '../src/index.js';
import { placeholderSvg } from '../src/routes/images.js';
import type { CategoryTree } from '../src/schemas/category.js';
import type { StaffProduct, StaffProductPage } from '../src/schemas/admin.js';
import type { ProductDetail, ProductListResponse } from '../src/schemas/product.js';
import { addCategory, addProduct, addProducts, catalogueDb } from './fixtures.js';
import { staffHeaders } from './staff.js';

const get = (shop: ShopApp, url: string, headers: Record<string, string> = {}) =>
  shop.app.inject({ method: 'GET', url: `/api/catalogue${url}`, headers });

function assertProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
) {
  assert.equal(res.statusCode, status);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as { status: number; type: string; title: string; field?: string };
  assert.equal(body.status, status);
  assert.ok(body.type && body.title);
  return body;
}

describeEachBackend('catalogue products, categories and images', (backend) => {
  test('a published product is served by id and by slug with variants, stock and breadcrumb', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const clothing = await addCategory(shop, { name: 'Clothing' });
    const jackets = await addCategory(shop, { name: 'Jackets', parent: clothing });
    const product = await addProduct(shop, {
      name: 'Trail Jacket',
      slug: 'trail-jacket',
      description: 'A light shell.',
      category: jackets,
      options: [
        { name: 'colour', values: ['Red', 'Blue'] },
        { name: 'size', values: ['M'] },
      ],
      images: [
        { url: '/api/catalogue/images/trail-jacket-1.svg', alt: 'Front' },
        { url: '/api/catalogue/images/trail-jacket-2.svg', alt: 'Back' },
      ],
      variants: [
        {
          price: 12000,
          compareAtPrice: 15000,
          weightGrams: 450,
          onHand: 5,
          reserved: 2,
          attributes: { colour: 'Red', size: 'M' },
        },
        { price: 13000, onHand: 1, reserved: 1, attributes: { colour: 'Blue', size: 'M' } },
      ],
    });

    const byId = await get(shop, `/products/${product.id}`);
    assert.equal(byId.statusCode, 200);
    assert.match(String(byId.headers['content-type']), /^application\/json/);
    const detail = byId.json() as ProductDetail;
    const bySlug = await get(shop, '/products/trail-jacket');
    assert.deepEqual(bySlug.json(), detail);

    assert.equal(detail.id, product.id);
    assert.equal(detail.slug, 'trail-jacket');
    assert.equal(detail.name, 'Trail Jacket');
    assert.equal(detail.description, 'A light shell.');
    assert.equal(detail.status, 'published');
    assert.deepEqual(detail.category, {
      id: jackets.id,
      slug: jackets.slug,
      name: 'Jackets',
      breadcrumb: [{ id: clothing.id, slug: clothing.slug, name: 'Clothing' }],
    });
    assert.deepEqual(detail.options, [
      { name: 'colour', values: ['Red', 'Blue'] },
      { name: 'size', values: ['M'] },
    ]);
    assert.deepEqual(
      detail.images.map((i) => i.alt),
      ['Front', 'Back'],
    );
    assert.deepEqual(detail.priceRange, { min: 12000, max: 13000, currency: 'EUR' });
    assert.deepEqual(detail.variants, [
      {
        id: product.variantIds[0],
        sku: 'TRAIL-JACKET-0',
        title: 'Red / M',
        price: { amount: 12000, currency: 'EUR' },
        compareAtPrice: { amount: 15000, currency: 'EUR' },
        weightGrams: 450,
        attributes: { colour: 'Red', size: 'M' },
        stock: { inStock: true, available: 3, moreAvailable: false },
      },
      {
        id: product.variantIds[1],
        sku: 'TRAIL-JACKET-1',
        title: 'Blue / M',
        price: { amount: 13000, currency: 'EUR' },
        compareAtPrice: null,
        weightGrams: null,
        attributes: { colour: 'Blue', size: 'M' },
        stock: { inStock: false, available: 0, moreAvailable: false },
      },
    ]);
    assert.ok(!Number.isNaN(Date.parse(detail.createdAt)));
    assert.ok(!Number.isNaN(Date.parse(detail.updatedAt)));

    // Other services read the same product through the in-process client.
    const api = shop.apis.get('catalogue') as CatalogueApi;
    const ctx = serviceContext(shop.config.store, shop.logger, 'test');
    assert.deepEqual(await api.reader.getProduct(ctx, 'trail-jacket'), detail);
  });

  test('unknown, draft and archived products answer 404 problems', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const draft = await addProduct(shop, { name: 'Secret Jacket', status: 'draft' });
    const archived = await addProduct(shop, { name: 'Old Jacket', status: 'archived' });
    for (const idOrSlug of ['no-such-product', draft.id, draft.slug, archived.slug]) {
      const body = assertProblem(await get(shop, `/products/${idOrSlug}`), 404);
      assert.match(body.type, /not-found$/);
    }
    const api = shop.apis.get('catalogue') as CatalogueApi;
    assert.equal(
      await api.reader.getProduct(serviceContext(shop.config.store, shop.logger, 'test'), draft.slug),
      null,
    );
    const body = assertProblem(await get(shop, '/products/not%20a%20slug'), 400);
    assert.equal(body.field, 'idOrSlug');
  });

  test('a listing item summarises the product, its first image and its variants', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const kitchen = await addCategory(shop, { name: 'Kitchen' });
    const kettle = await addProduct(shop, {
      name: 'Copper Kettle',
      category: kitchen,
      images: [
        { url: '/api/catalogue/images/copper-kettle-1.svg', alt: 'Kettle' },
        { url: '/api/catalogue/images/copper-kettle-2.svg', alt: 'Lid' },
      ],
      variants: [
        { price: 4500, compareAtPrice: 5000, onHand: 0, attributes: { finish: 'Copper' } },
        { price: 3900, onHand: 4, attributes: { finish: 'Steel' } },
      ],
    });
    const res = await get(shop, '/products');
    assert.equal(res.statusCode, 200);
    const page = res.json() as ProductListResponse;
    assert.deepEqual(page.items, [
      {
        id: kettle.id,
        slug: kettle.slug,
        name: 'Copper Kettle',
        category: { id: kitchen.id, slug: kitchen.slug, name: 'Kitchen' },
        image: { url: '/api/catalogue/images/copper-kettle-1.svg', alt: 'Kettle' },
        priceRange: { min: 3900, max: 4500, currency: 'EUR' },
        inStock: true,
        variants: [
          {
            id: kettle.variantIds[0],
            sku: kettle.slug.toUpperCase() + '-0',
            title: 'Copper',
            price: { amount: 4500, currency: 'EUR' },
            compareAtPrice: { amount: 5000, currency: 'EUR' },
            inStock: false,
            available: 0,
            moreAvailable: false,
            attributes: { finish: 'Copper' },
          },
          {
            id: kettle.variantIds[1],
            sku: kettle.slug.toUpperCase() + '-1',
            title: 'Steel',
            price: { amount: 3900, currency: 'EUR' },
            compareAtPrice: null,
            inStock: true,
            available: 4,
            moreAvailable: false,
            attributes: { finish: 'Steel' },
          },
        ],
        rating: { average: 0, count: 0 },
      },
    ]);
    assert.equal(page.total, 1);
    assert.equal(page.nextCursor, null);
  });

  test('bad listing parameters are answered with a 400 problem naming the parameter', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    await addProducts(shop, [{ name: 'Mug' }, { name: 'Cup' }]);
    const page = (await get(shop, '/products?sort=price&limit=1')).json() as ProductListResponse;
    const foreign = Buffer.from(JSON.stringify({ s: 'price', k: 'abc', id: 'x' })).toString('base64url');
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=101', 'limit'],
      ['minPrice=-1', 'minPrice'],
      ['maxPrice=1.5', 'maxPrice'],
      ['sort=bogus', 'sort'],
      ['sort=relevance', 'sort'],
      ['inStock=maybe', 'inStock'],
      ['attr=colour', 'attr.0'],
      ['q=', 'q'],
      ['q=%20%20', 'q'],
      ['category=a%20b', 'category'],
      ['colour=red', 'colour'],
      ['cursor=not*base64', 'cursor'],
      ['cursor=bm90IGpzb24', 'cursor'],
      [`cursor=${foreign}`, 'cursor'],
      [`sort=newest&cursor=${page.nextCursor}`, 'cursor'],
    ];
    for (const [query, field] of cases) {
      const body = assertProblem(await get(shop, `/products?${query}`), 400);
      assert.equal(body.field, field, query);
    }
  });

  test('the category tree nests subcategories and counts published products below each', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const outdoor = await addCategory(shop, { name: 'Outdoor', position: 1, description: 'For walks' });
    const home = await addCategory(shop, { name: 'Home', position: 0 });
    const tents = await addCategory(shop, { name: 'Tents', parent: outdoor, position: 2 });
    const packs = await addCategory(shop, { name: 'Packs', parent: outdoor, position: 1 });
    const domes = await addCategory(shop, { name: 'Domes', parent: tents });
    await addProducts(shop, [
      { name: 'Dome Two', category: domes },
      { name: 'Dome Four', category: domes },
      { name: 'Tunnel Tent', category: tents },
      { name: 'Draft Dome', category: domes, status: 'draft' },
      { name: 'Archived Pack', category: packs, status: 'archived' },
      { name: 'Lamp', category: home },
      { name: 'Gift Card' },
    ]);
    const res = await get(shop, '/categories');
    assert.equal(res.statusCode, 200);
    const tree = res.json() as CategoryTree;
    const node = (id: string, name: string, count: number, children: unknown[] = [], description = '') => ({
      id,
      slug: [outdoor, home, tents, packs, domes].find((c) => c.id === id)!.slug,
      name,
      description,
      productCount: count,
      children,
    });
    assert.deepEqual(tree, {
      items: [
        node(home.id, 'Home', 1),
        node(
          outdoor.id,
          'Outdoor',
          3,
          [node(packs.id, 'Packs', 0), node(tents.id, 'Tents', 3, [node(domes.id, 'Domes', 2)])],
          'For walks',
        ),
      ],
    });
  });

  test('the category tree of an empty shop is empty', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const res = await get(shop, '/categories');
    assert.deepEqual(res.json(), { items: [] });
    const list = (await get(shop, '/products')).json() as ProductListResponse;
    assert.equal(list.total, 0);
  });

  test('the image route draws a stable SVG placeholder labelled with the product name', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const res = await get(shop, '/images/trail-jacket-2.svg');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^image\/svg\+xml/);
    assert.match(String(res.headers['cache-control']), /max-age=31536000/);
    assert.match(String(res.headers['cache-control']), /immutable/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(res.body, />Trail Jacket</);
    assert.doesNotMatch(res.body, /<script|href=|http:\/\/(?!www\.w3\.org)/);

    const again = await get(shop, '/images/trail-jacket-2.svg');
    assert.equal(again.body, res.body);
    const other = await get(shop, '/images/trail-jacket-3.svg');
    assert.notEqual(other.body, res.body);

    const cached = await get(shop, '/images/trail-jacket-2.svg', {
      'if-none-match': String(res.headers.etag),
    });
    assert.equal(cached.statusCode, 304);
    assert.equal(cached.body, '');
  });

  test('the image route rejects names outside its pattern', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    for (const name of [
      'Trail.svg',
      'trail.png',
      'trail_jacket.svg',
      '%3Cscript%3E.svg',
      `${'a'.repeat(121)}.svg`,
    ]) {
      const body = assertProblem(await get(shop, `/images/${name}`), 400);
      assert.equal(body.field, 'name', name);
    }
    assertProblem(await get(shop, '/images/..%2F..%2Fetc.svg'), 400);
    assertProblem(await get(shop, '/images/a/b.svg'), 404);
  });

  test('placeholder labels are escaped and wrapped', () => {
    const { svg } = placeholderSvg('<b>&"quoted"-extraordinarily-long-product-name-with-many-words-99.svg');
    assert.doesNotMatch(svg, /<b>/);
    assert.match(svg, /&lt;b&gt;&amp;&quot;quoted&quot;/);
    assert.ok((svg.match(/<tspan/g) ?? []).length <= 3);
  });

  test('reserved stock is not available: a fully reserved product is out of stock', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const [mug] = await addProducts(shop, [{ name: 'Mug', variants: [{ price: 900, onHand: 2 }] }]);
    await catalogueDb(shop)
      .updateTable('variants')
      .set({ reserved: 2 })
      .where('product_id', '=', mug!.id)
      .execute();
    const detail = (await get(shop, `/products/${mug!.slug}`)).json() as ProductDetail;
    assert.deepEqual(detail.variants[0]!.stock, { inStock: false, available: 0, moreAvailable: false });
    const page = (await get(shop, '/products?inStock=true')).json() as ProductListResponse;
    assert.equal(page.total, 0);
  });

  test('public and staff answers carry the same timestamps of a product: RFC 3339 UTC with milliseconds', async () => {
    const shop = await backend.buildApp({ services: [catalogueService] });
    const millis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    const [fresh, stamped] = await addProducts(shop, [{ name: 'Fresh Lamp' }, { name: 'Stamped Lamp' }]);
    // Stored with microseconds, as now() writes them: the answers show milliseconds, truncated alike.
    await catalogueDb(shop)
      .updateTable('products')
      .set({
        created_at: sql<Date>`'2026-01-02T03:04:05.946999Z'::timestamptz`,
        updated_at: sql<Date>`'2026-01-02T03:04:06.000999Z'::timestamptz`,
      })
      .where('id', '=', stamped!.id)
      .execute();
    for (const product of [fresh!, stamped!]) {
      const shopper = (await get(shop, `/products/${product.slug}`)).json() as ProductDetail;
      const staff = (await get(shop, `/admin/products/${product.id}`, staffHeaders)).json() as StaffProduct;
      const listed = (
        (await get(shop, `/admin/products?q=${product.slug}`, staffHeaders)).json() as StaffProductPage
      ).items.find((item) => item.id === product.id)!;
      for (const stamp of [shopper.createdAt, shopper.updatedAt, staff.createdAt, staff.updatedAt]) {
        assert.match(stamp, millis);
      }
      assert.equal(shopper.createdAt, staff.createdAt);
      assert.equal(shopper.updatedAt, staff.updatedAt);
      assert.equal(listed.updatedAt, staff.updatedAt);
      for (const variant of staff.variants) assert.match(variant.updatedAt, millis);
    }
    const stampedPage = (await get(shop, `/products/${stamped!.slug}`)).json() as ProductDetail;
    assert.equal(stampedPage.createdAt, '2026-01-02T03:04:05.946Z');
    assert.equal(stampedPage.updatedAt, '2026-01-02T03:04:06.000Z');
  });
});
