import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { createCategory, entityTag, listingUrl, madeUpWord, read, staffCall } from './public-reads.js';
import { createProduct, staffHeaders, unique } from './staff.js';

/** A listing's tag: the process's epoch and the catalogue's version. */
const LISTING_TAG = /^W\/"[^"]+-\d+"$/;
/** A product page's tag: weak, over the page's content. */
const PAGE_TAG = /^W\/"[^"]+"$/;

describeEachBackend('catalogue entity tags', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
  });

  const product = (onHand = 5) =>
    createProduct(shop, {
      name: `Pitcher ${madeUpWord()}`,
      variants: [{ sku: unique('PT'), price: 1500, onHand }],
    });
  const conditional = (url: string, ifNoneMatch: string, method = 'GET') =>
    read(shop, url, { 'if-none-match': ifNoneMatch }, method);

  test('product pages, listings and the category tree answer 304 with no body to their own entity tag, and 200 to any other', async () => {
    const pitcher = await product();
    await createCategory(shop, { name: `Jugs ${unique('c')}` });
    const urls = [
      `/products/${pitcher.slug}`,
      `/products/${pitcher.id}`,
      '/products',
      listingUrl({ q: pitcher.name.split(' ')[1], sort: 'price', limit: 5 }),
      listingUrl({ inStock: true, minPrice: 1000 }),
      '/categories',
    ];
    for (const url of urls) {
      const first = await read(shop, url);
      assert.equal(first.statusCode, 200, `${url}: ${first.body}`);
      const etag = String(first.headers.etag);
      assert.match(etag, url.startsWith('/products/') ? PAGE_TAG : LISTING_TAG, url);

      for (const ifNoneMatch of [etag, etag.slice(2), `"elsewhere", ${etag}`, '*']) {
        for (const method of ['GET', 'HEAD']) {
          const res = await conditional(url, ifNoneMatch, method);
          assert.equal(res.statusCode, 304, `${method} ${url} with ${ifNoneMatch}`);
          assert.equal(res.body, '', `${method} ${url} with ${ifNoneMatch}`);
          assert.equal(res.headers.etag, etag, `${method} ${url} with ${ifNoneMatch}: the tag it matched`);
        }
      }

      for (const ifNoneMatch of ['W/"elsewhere"', '"elsewhere", W/"0-0"', etag.replace(/"$/, 'x"')]) {
        const res = await conditional(url, ifNoneMatch);
        assert.equal(res.statusCode, 200, `GET ${url} with ${ifNoneMatch}`);
        assert.equal(res.body, first.body, `GET ${url} with ${ifNoneMatch}`);
        assert.equal(res.headers.etag, etag, `GET ${url} with ${ifNoneMatch}`);
        const head = await conditional(url, ifNoneMatch, 'HEAD');
        assert.equal(head.statusCode, 200, `HEAD ${url} with ${ifNoneMatch}`);
        assert.equal(head.headers.etag, etag, `HEAD ${url} with ${ifNoneMatch}`);
      }
    }
  });

  test('every listing and the category tree change their tag with any change through the staff API', async () => {
    const pitcher = await product();
    const other = await product();
    const listings = ['/products', listingUrl({ q: madeUpWord() }), '/categories'];
    const tagsNow = async () => Promise.all(listings.map((url) => entityTag(shop, url)));

    const changes: Array<[string, () => Promise<unknown>]> = [
      [
        'a rename',
        () => staffCall(shop, 'PATCH', `/admin/products/${pitcher.id}`, { name: 'Pitcher renamed' }),
      ],
      [
        'a price',
        () =>
          staffCall(shop, 'PATCH', `/admin/variants/${pitcher.variants[0]!.id}`, {
            price: { amount: 1700, currency: 'EUR' },
          }),
      ],
      [
        'a stock count',
        () => staffCall(shop, 'PUT', `/admin/stock/${pitcher.variants[0]!.sku}`, { onHand: 9 }),
      ],
      [
        'a stock delivery',
        () => staffCall(shop, 'POST', `/admin/stock/${other.variants[0]!.sku}/adjust`, { delta: 2 }),
      ],
      [
        'a reservation',
        () =>
          staffCall(shop, 'POST', '/reservations', {
            orderRef: unique('order'),
            lines: [{ sku: other.variants[0]!.sku, quantity: 1 }],
          }),
      ],
      ['a new category', () => createCategory(shop, { name: `Ewers ${unique('c')}` })],
      ['a new product', () => product()],
      ['an archive', () => staffCall(shop, 'POST', `/admin/products/${other.id}/archive`)],
    ];
    let tags = await tagsNow();
    assert.equal(new Set(tags).size, 1, `every listing and the tree carry the same tag: ${tags.join(' ')}`);
    for (const [change, write] of changes) {
      await write();
      const next = await tagsNow();
      listings.forEach((url, i) => assert.notEqual(next[i], tags[i], `${url} after ${change}`));
      for (const [i, url] of listings.entries()) {
        const stale = await conditional(url, tags[i]!);
        assert.equal(stale.statusCode, 200, `${url} with the tag from before ${change}`);
        assert.equal(stale.headers.etag, next[i], `${url} with the tag from before ${change}`);
        assert.notEqual(stale.body, '');
      }
      tags = next;
    }
  });

  test("a product page's tag changes when that product changes, and stays when another product changes", async () => {
    const pitcher = await product();
    const other = await product();
    const page = `/products/${pitcher.slug}`;
    let tag = await entityTag(shop, page);
    assert.equal(await entityTag(shop, `/products/${pitcher.id}`), tag, 'by id and by slug alike');

    const changes: Array<[string, boolean, () => Promise<unknown>]> = [
      [
        'another product renamed',
        false,
        () => staffCall(shop, 'PATCH', `/admin/products/${other.id}`, { name: 'Ewer' }),
      ],
      [
        "another product's price",
        false,
        () =>
          staffCall(shop, 'PATCH', `/admin/variants/${other.variants[0]!.id}`, {
            price: { amount: 999, currency: 'EUR' },
          }),
      ],
      [
        "another product's stock",
        false,
        () => staffCall(shop, 'PUT', `/admin/stock/${other.variants[0]!.sku}`, { onHand: 0 }),
      ],
      ['a new product', false, () => product()],
      [
        'another product archived',
        false,
        () => staffCall(shop, 'POST', `/admin/products/${other.id}/archive`),
      ],
      [
        'this product renamed',
        true,
        () => staffCall(shop, 'PATCH', `/admin/products/${pitcher.id}`, { name: 'Jug' }),
      ],
      [
        "this product's price",
        true,
        () =>
          staffCall(shop, 'PATCH', `/admin/variants/${pitcher.variants[0]!.id}`, {
            price: { amount: 1400, currency: 'EUR' },
          }),
      ],
      [
        "this product's stock",
        true,
        () => staffCall(shop, 'POST', `/admin/stock/${pitcher.variants[0]!.sku}/adjust`, { delta: -2 }),
      ],
    ];
    for (const [change, ofThisProduct, write] of changes) {
      const body = (await read(shop, page)).body;
      await write();
      const res = await conditional(page, tag);
      if (ofThisProduct) {
        assert.equal(res.statusCode, 200, `after ${change}, the old tag is stale`);
        assert.notEqual(res.headers.etag, tag, `after ${change}`);
        assert.notEqual(res.body, body, `after ${change}`);
        tag = String(res.headers.etag);
      } else {
        assert.equal(res.statusCode, 304, `after ${change}, the old tag is still current`);
        assert.equal(await entityTag(shop, page), tag, `after ${change}`);
        assert.equal((await read(shop, page)).body, body, `after ${change}`);
      }
    }
  });

  test("a reservation, its release and its commit leave other products' pages and tags as they were", async () => {
    const category = await createCategory(shop, { name: `Vases ${unique('c')}` });
    const reserved = await createProduct(shop, {
      name: `Vase ${madeUpWord()}`,
      categoryId: category.id,
      variants: [{ sku: unique('VA'), onHand: 4 }],
    });
    const bystander = await createProduct(shop, {
      name: `Urn ${madeUpWord()}`,
      categoryId: category.id,
      variants: [{ sku: unique('UR'), onHand: 4 }],
    });
    const pageOf = async (slug: string) => {
      const res = await read(shop, `/products/${slug}`);
      assert.equal(res.statusCode, 200, res.body);
      return { etag: res.headers.etag, body: res.body };
    };
    const bystanderBefore = await pageOf(bystander.slug);
    const reservedTag = (await pageOf(reserved.slug)).etag;

    const sku = reserved.variants[0]!.sku;
    const released = unique('order');
    await staffCall(shop, 'POST', '/reservations', { orderRef: released, lines: [{ sku, quantity: 3 }] });
    assert.notEqual((await pageOf(reserved.slug)).etag, reservedTag, "the reserved product's page changed");
    assert.deepEqual(await pageOf(bystander.slug), bystanderBefore, 'after the reservation');
    assert.equal(
      (await conditional(`/products/${bystander.slug}`, String(bystanderBefore.etag))).statusCode,
      304,
    );

    await staffCall(shop, 'POST', `/reservations/${released}/release`);
    assert.deepEqual(await pageOf(bystander.slug), bystanderBefore, 'after the release');

    const committed = unique('order');
    await staffCall(shop, 'POST', '/reservations', { orderRef: committed, lines: [{ sku, quantity: 1 }] });
    await staffCall(shop, 'POST', `/reservations/${committed}/commit`);
    assert.deepEqual(await pageOf(bystander.slug), bystanderBefore, 'after the commit');
  });

  test('a bad or unknown request is answered 4xx, never 304, whatever If-None-Match says', async () => {
    const pitcher = await product();
    const tag = await entityTag(shop, '/products');
    const requests: Array<[url: string, status: number]> = [
      ['/products?sort=relevance', 400],
      ['/products?cursor=not-a-cursor', 400],
      [
        `/products?sort=price&cursor=${Buffer.from('{"s":"name","k":"a","id":"x"}').toString('base64url')}`,
        400,
      ],
      ['/products?sort=bogus', 400],
      ['/products?limit=0', 400],
      ['/products?minPrice=-1', 400],
      ['/products?inStock=maybe', 400],
      ['/products?colour=red', 400],
      ['/products/no-such-product', 404],
      ['/products/not%20a%20slug', 400],
      [`/products/${pitcher.id.slice(0, -1)}`, 404],
    ];
    // Every answer is gathered first, so a failure lists all the requests answered wrongly.
    const wrong: string[] = [];
    for (const [url, status] of requests) {
      for (const ifNoneMatch of ['', tag, '*']) {
        for (const method of ['GET', 'HEAD']) {
          const res = await conditional(url, ifNoneMatch, method);
          const problem = /^application\/problem\+json/.test(String(res.headers['content-type']));
          if (res.statusCode === status && problem && res.headers.etag === undefined) continue;
          const etag = res.headers.etag === undefined ? 'no ETag' : `ETag ${res.headers.etag}`;
          wrong.push(
            `${method} ${url} If-None-Match: ${ifNoneMatch || '(none)'}: want ${status} problem, no ETag; ` +
              `got ${res.statusCode}${problem ? ' problem' : ''}, ${etag}`,
          );
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('a refused staff write is answered 4xx and changes no entity tag', async () => {
    const pitcher = await product(2);
    const sku = pitcher.variants[0]!.sku;
    await staffCall(shop, 'POST', '/reservations', {
      orderRef: unique('order'),
      lines: [{ sku, quantity: 2 }],
    });
    const page = `/products/${pitcher.slug}`;
    const tags = async () => [await entityTag(shop, '/products'), await entityTag(shop, page)];
    const before = await tags();

    const refused: Array<
      [method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object | undefined, status: number]
    > = [
      ['PATCH', `/admin/products/${pitcher.id}`, { name: '' }, 400],
      ['PATCH', `/admin/products/${pitcher.id}`, { minPrice: 1 }, 400],
      ['PATCH', `/admin/products/${pitcher.id.slice(0, -1)}x`, { name: 'Ghost' }, 404],
      [
        'PATCH',
        `/admin/variants/${pitcher.variants[0]!.id}`,
        { price: { amount: 100, currency: 'USD' } },
        422,
      ],
      ['PUT', `/admin/stock/${sku}`, { onHand: 1 }, 409],
      ['PUT', `/admin/stock/${unique('NOPE')}`, { onHand: 1 }, 404],
      ['POST', `/admin/stock/${sku}/adjust`, { delta: -1 }, 409],
      ['POST', '/reservations', { orderRef: unique('order'), lines: [{ sku, quantity: 1 }] }, 409],
      [
        'POST',
        '/reservations',
        { orderRef: unique('order'), lines: [{ sku: unique('NOPE'), quantity: 1 }] },
        422,
      ],
      ['POST', `/reservations/${unique('order')}/release`, undefined, 404],
      ['POST', `/admin/products/${pitcher.id.slice(0, -1)}x/archive`, undefined, 404],
    ];
    for (const [method, url, payload, status] of refused) {
      const res = await shop.app.inject({
        method,
        url: `/api/catalogue${url}`,
        headers: staffHeaders,
        ...(payload === undefined ? {} : { payload }),
      });
      assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
      assert.deepEqual(await tags(), before, `after ${method} ${url}`);
    }
  });
});
