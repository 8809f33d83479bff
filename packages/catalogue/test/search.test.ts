import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import type { ProductListResponse } from '../src/schemas/product.js';
import { addCategory, addProducts, type TestCategory, type TestProductSpec } from './fixtures.js';

type ListParams = Record<string, string | number | boolean | string[] | undefined>;

async function list(shop: ShopApp, params: ListParams = {}): Promise<ProductListResponse> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const res = await shop.app.inject({ method: 'GET', url: `/api/catalogue/products?${search}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ProductListResponse;
}

/** Follows nextCursor from the first page to the last and returns every item id in order. */
async function pageThrough(shop: ShopApp, params: ListParams): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list(shop, { ...params, cursor });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
    pages++;
    assert.ok(pages < 100, 'paging does not end');
  } while (cursor);
  return { ids, pages };
}

interface Catalogue {
  clothing: TestCategory;
  jackets: TestCategory;
  rainwear: TestCategory;
  shirts: TestCategory;
  home: TestCategory;
  kitchen: TestCategory;
  publishedCount: number;
}

const PRICES = [1500, 2500, 4999, 5000, 9999, 12000, 30000];
const COLOURS = ['Red', 'Blue', 'Green'];
const SIZES = ['S', 'M', 'L', 'XL'];

/**
 * A small shop: a three-level category tree, a few jackets for ranking, and filler shirts and kettles
 * with repeated prices, names and creation times so that every sort has ties to break.
 */
async function seedCatalogue(shop: ShopApp): Promise<Catalogue> {
  const clothing = await addCategory(shop, { name: 'Clothing' });
  const jackets = await addCategory(shop, { name: 'Jackets', parent: clothing });
  const rainwear = await addCategory(shop, { name: 'Rainwear', parent: jackets });
  const shirts = await addCategory(shop, { name: 'Shirts', parent: clothing });
  const home = await addCategory(shop, { name: 'Home' });
  const kitchen = await addCategory(shop, { name: 'Kitchen', parent: home });
  const start = Date.parse('2024-03-01T10:00:00.000Z');

  const specs: TestProductSpec[] = [
    {
      name: 'Trail Jacket',
      category: jackets,
      description: 'A light shell for long walks.',
      variants: [
        { price: 12000, onHand: 3, attributes: { colour: 'Red', size: 'M' } },
        { price: 13000, onHand: 0, attributes: { colour: 'Blue', size: 'L' } },
      ],
    },
    {
      name: 'Trail Jacket Liner',
      category: jackets,
      variants: [{ price: 3000, onHand: 0, attributes: { colour: 'Red', size: 'S' } }],
    },
    {
      name: 'Rain Jacket',
      category: rainwear,
      description: 'Keeps you dry on the trail.',
      variants: [{ price: 8000, onHand: 2, attributes: { colour: 'Yellow', size: 'M' } }],
    },
    { name: 'Gift Card', variants: [{ price: 5000, onHand: 100 }] },
    { name: 'Mystery Box', category: home, variants: [] },
    { name: 'Trail Jacket Prototype', status: 'draft', category: jackets },
    { name: 'Trail Jacket Classic', status: 'archived', category: jackets },
    {
      name: 'Purple Shirt',
      status: 'draft',
      category: shirts,
      variants: [{ price: 2000, onHand: 4, attributes: { colour: 'Purple', size: 'M' } }],
    },
  ];
  for (let i = 0; i < 36; i++) {
    const kettle = i % 3 === 0;
    const price = PRICES[i % PRICES.length]!;
    specs.push({
      name: kettle ? `Kettle ${i}` : i % 4 === 0 ? 'Linen Shirt' : `Cotton Shirt ${i}`,
      category: kettle ? kitchen : shirts,
      // Groups of three share a creation time, so the newest-first order has ties on the timestamp.
      createdAt: new Date(start + Math.floor(i / 3) * 60_000),
      variants: [
        {
          price,
          onHand: i % 4 === 1 ? 0 : 3,
          attributes: { colour: COLOURS[i % COLOURS.length]!, size: SIZES[i % SIZES.length]! },
        },
        ...(i % 2 === 0
          ? [{ price: price + 500, onHand: 1, attributes: { colour: 'Black', size: 'XL' } }]
          : []),
      ],
    });
  }
  await addProducts(shop, specs);
  return {
    clothing,
    jackets,
    rainwear,
    shirts,
    home,
    kitchen,
    publishedCount: specs.filter((s) => (s.status ?? 'published') === 'published').length,
  };
}

describeEachBackend('catalogue search, filters and facets', (backend) => {
  let shop: ShopApp;
  let catalogue: Catalogue;

  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
    catalogue = await seedCatalogue(shop);
  });

  test('an exact name match ranks first, then products matching every word', async () => {
    const result = await list(shop, { q: 'trail jacket' });
    assert.deepEqual(
      result.items.slice(0, 2).map((item) => item.name),
      ['Trail Jacket', 'Trail Jacket Liner'],
    );
    const shouting = await list(shop, { q: '  TRAIL   Jacket ' });
    assert.equal(shouting.items[0]!.name, 'Trail Jacket');
  });

  test('a query with one letter wrong still finds the product', async () => {
    for (const q of ['jackit', 'trail jackat', 'kettke']) {
      const result = await list(shop, { q });
      const names = result.items.map((item) => item.name);
      const expected = q === 'kettke' ? /^Kettle / : /Jacket/;
      assert.ok(
        names.some((name) => expected.test(name)),
        `${q} found ${names.join(', ')}`,
      );
    }
    const typo = await list(shop, { q: 'trial jacket' });
    assert.ok(typo.items.some((item) => item.name === 'Trail Jacket'));
  });

  test('a query that matches nothing returns no items, a total of 0 and empty facets', async () => {
    const result = await list(shop, { q: 'xylophone' });
    assert.deepEqual(result.items, []);
    assert.equal(result.total, 0);
    assert.equal(result.nextCursor, null);
    assert.deepEqual(result.facets.categories, []);
    assert.deepEqual(result.facets.attributes, []);
    assert.equal(result.facets.inStock, 0);
    assert.ok(result.facets.priceRanges.every((range) => range.count === 0));
  });

  test('only published products are listed, found and counted', async () => {
    const everything = await list(shop, { limit: 100 });
    assert.equal(everything.total, catalogue.publishedCount);
    assert.equal(everything.items.length, catalogue.publishedCount);
    const names = everything.items.map((item) => item.name);
    for (const hidden of ['Trail Jacket Prototype', 'Trail Jacket Classic', 'Purple Shirt']) {
      assert.ok(!names.includes(hidden), `${hidden} is listed`);
    }
    const search = await list(shop, { q: 'trail jacket prototype' });
    assert.ok(search.items.every((item) => item.name !== 'Trail Jacket Prototype'));
    const colours = everything.facets.attributes.find((a) => a.name === 'colour')!;
    assert.ok(!colours.values.some((v) => v.value === 'Purple'), 'a draft product shows up in the facets');
  });

  test('a category filter includes products of every subcategory, by id or by slug', async () => {
    const bySlug = await list(shop, { category: catalogue.clothing.slug, limit: 100 });
    const byId = await list(shop, { category: catalogue.clothing.id, limit: 100 });
    assert.deepEqual(byId, bySlug);
    const names = bySlug.items.map((item) => item.name);
    assert.ok(names.includes('Rain Jacket'), 'a product two levels down is missing');
    assert.ok(names.includes('Trail Jacket'));
    assert.ok(!names.some((name) => name.startsWith('Kettle')));
    assert.ok(bySlug.items.every((item) => item.category !== null));

    const jackets = await list(shop, { category: catalogue.jackets.slug });
    assert.deepEqual(jackets.items.map((item) => item.name).sort(), [
      'Rain Jacket',
      'Trail Jacket',
      'Trail Jacket Liner',
    ]);
    const unknown = await list(shop, { category: 'no-such-category' });
    assert.equal(unknown.total, 0);
  });

  test('price, stock and attribute filters select the products they describe', async () => {
    const cheap = await list(shop, { minPrice: 2500, maxPrice: 5000, limit: 100 });
    assert.ok(cheap.total > 0);
    for (const item of cheap.items) {
      assert.ok(
        item.priceRange!.min >= 2500 && item.priceRange!.min <= 5000,
        `${item.name} ${item.priceRange!.min}`,
      );
    }
    const inStock = await list(shop, { inStock: true, limit: 100 });
    assert.ok(
      inStock.items.every((item) => item.inStock && item.variants.some((v) => v.inStock && v.available! > 0)),
    );
    const soldOut = await list(shop, { inStock: false, limit: 100 });
    assert.ok(
      soldOut.items.every(
        (item) => !item.inStock && item.variants.every((v) => !v.inStock && v.available === 0),
      ),
    );
    assert.equal(inStock.total + soldOut.total, catalogue.publishedCount);

    const redMedium = await list(shop, { attr: ['colour:Red', 'size:M'], limit: 100 });
    assert.ok(redMedium.total > 0);
    for (const item of redMedium.items) {
      assert.ok(item.variants.some((v) => v.attributes.colour === 'Red'));
      assert.ok(item.variants.some((v) => v.attributes.size === 'M'));
    }
    const reordered = await list(shop, { attr: ['size:M', 'colour:Red'], limit: 100 });
    assert.deepEqual(reordered, redMedium);
  });

  test('every facet count equals the total of the filter it stands for', async () => {
    const bases: ListParams[] = [
      {},
      { q: 'shirt' },
      { inStock: true, attr: ['colour:Red'] },
      { minPrice: 4000 },
    ];
    for (const base of bases) {
      const result = await list(shop, base);
      const label = JSON.stringify(base);
      if (!('category' in base)) {
        for (const category of result.facets.categories) {
          const filtered = await list(shop, { ...base, category: category.id });
          assert.equal(filtered.total, category.count, `${label} category ${category.name}`);
        }
      }
      if (!('minPrice' in base)) {
        for (const range of result.facets.priceRanges) {
          const filtered = await list(shop, {
            ...base,
            minPrice: range.min,
            maxPrice: range.max === null ? undefined : range.max - 1,
          });
          assert.equal(filtered.total, range.count, `${label} price ${range.min}-${range.max}`);
        }
      }
      for (const attribute of result.facets.attributes) {
        for (const { value, count } of attribute.values) {
          const attr = [...((base.attr as string[] | undefined) ?? []), `${attribute.name}:${value}`];
          const filtered = await list(shop, { ...base, attr });
          assert.equal(filtered.total, count, `${label} ${attribute.name}:${value}`);
        }
      }
      if (!('inStock' in base)) {
        assert.equal(
          (await list(shop, { ...base, inStock: true })).total,
          result.facets.inStock,
          `${label} inStock`,
        );
        assert.equal(
          (await list(shop, { ...base, inStock: false })).total,
          result.total - result.facets.inStock,
          `${label} out of stock`,
        );
      }
    }
  });

  test('facet counts add up to the total', async () => {
    const all = await list(shop);
    // The mystery box has no variants, so no price; the gift card has no category.
    const priced = all.facets.priceRanges.reduce((sum, range) => sum + range.count, 0);
    assert.equal(priced, all.total - 1);
    const roots = all.facets.categories.filter(
      (c) => c.id === catalogue.clothing.id || c.id === catalogue.home.id,
    );
    assert.equal(
      roots.reduce((sum, c) => sum + c.count, 0),
      all.total - 1,
    );
    const clothing = all.facets.categories.find((c) => c.id === catalogue.clothing.id)!;
    const children = all.facets.categories.filter(
      (c) => c.id === catalogue.jackets.id || c.id === catalogue.shirts.id,
    );
    assert.equal(
      children.reduce((sum, c) => sum + c.count, 0),
      clothing.count,
    );
    for (const attribute of all.facets.attributes) {
      const sum = attribute.values.reduce((s, v) => s + v.count, 0);
      const maximum = Math.max(...attribute.values.map((v) => v.count));
      assert.ok(sum >= maximum && maximum <= all.total, attribute.name);
    }
    assert.deepEqual(
      all.facets.priceRanges.map((r) => [r.min, r.max]),
      [
        [0, 2500],
        [2500, 5000],
        [5000, 10000],
        [10000, 25000],
        [25000, null],
      ],
    );
  });

  test('paging with a small limit visits every product exactly once, in order, for every sort', async () => {
    const cases: ListParams[] = [
      { sort: 'price' },
      { sort: '-price' },
      { sort: 'newest' },
      { sort: 'name' },
      {},
      { q: 'shirt' },
      { q: 'shirt', sort: 'price' },
      { category: catalogue.clothing.slug, sort: 'name', inStock: true },
    ];
    for (const params of cases) {
      const label = JSON.stringify(params);
      const whole = await list(shop, { ...params, limit: 100 });
      assert.equal(whole.nextCursor, null, label);
      assert.ok(whole.total > 7, `${label} needs several pages`);
      const { ids, pages } = await pageThrough(shop, { ...params, limit: 7 });
      assert.equal(new Set(ids).size, ids.length, `${label} repeats an item`);
      assert.equal(ids.length, whole.total, `${label} skips an item`);
      assert.deepEqual(
        ids,
        whole.items.map((item) => item.id),
        `${label} changes the order`,
      );
      assert.equal(pages, Math.ceil(whole.total / 7), label);
    }
  });

  test('price sorts order by the lowest variant price, unpriced products last', async () => {
    const ascending = await list(shop, { sort: 'price', limit: 100 });
    const prices = ascending.items.map((item) => item.priceRange?.min ?? Infinity);
    assert.deepEqual(
      prices,
      [...prices].sort((a, b) => a - b),
    );
    assert.equal(ascending.items.at(-1)!.name, 'Mystery Box');
    const descending = await list(shop, { sort: '-price', limit: 100 });
    const down = descending.items.map((item) => item.priceRange?.min ?? -Infinity);
    assert.deepEqual(
      down,
      [...down].sort((a, b) => b - a),
    );
    assert.equal(descending.items.at(-1)!.name, 'Mystery Box');
  });

  test('a cursor only works with the sort it came from', async () => {
    const first = await list(shop, { sort: 'price', limit: 5 });
    assert.ok(first.nextCursor);
    const res = await shop.app.inject({
      method: 'GET',
      url: `/api/catalogue/products?sort=name&limit=5&cursor=${first.nextCursor}`,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'cursor');
  });
});
