import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startWebShop, type WebShop } from './support/shop.js';

/**
 * The storefront's HTTP side without a browser: pages rendered on the server, caching and
 * compression of pages and assets, sitemap.xml and robots.txt, and odd addresses answered without
 * a server error.
 */
describe('the storefront server', () => {
  let web: WebShop;
  before(
    async () => {
      web = await startWebShop(30);
    },
    { timeout: 240_000 },
  );
  after(() => web?.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${web.url}${path}`, { headers });

  test('a product page is complete HTML: title, description, canonical URL, Open Graph and Product JSON-LD', async () => {
    const list = (await (await get('/api/catalogue/products?limit=1')).json()) as {
      items: Array<{ slug: string; name: string }>;
    };
    const product = list.items[0]!;
    const res = await get(`/p/${product.slug}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    const html = await res.text();
    assert.ok(
      html.includes(`<title>${product.name.replace(/&/g, '&amp;')} | `),
      'the title names the product',
    );
    assert.match(html, /<meta name="description" content="[^"]+">/);
    assert.ok(html.includes(`<link rel="canonical" href="${web.url}/p/${product.slug}">`));
    assert.match(html, /<meta property="og:type" content="product">/);
    const ld = JSON.parse(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(html)![1]!) as {
      '@type': string;
      offers: unknown[];
    };
    assert.equal(ld['@type'], 'Product');
    assert.ok(ld.offers.length > 0);
    assert.ok(
      html.includes(`<h1>${product.name.replace(/&/g, '&amp;')}</h1>`),
      'the name is in the HTML before any script',
    );
  });

  test('a product or category that is not there answers 404 with a page that says so', async () => {
    const product = await get('/p/no-such-product');
    assert.equal(product.status, 404);
    assert.match(await product.text(), /Product not found/);
    const category = await get('/c/no-such-category');
    assert.equal(category.status, 404);
    assert.equal((await get('/no/such/page')).status, 404);
  });

  test('pages are compressed; hashed assets are sent precompressed and cached for a year', async () => {
    const page = await get('/', { 'accept-encoding': 'br' });
    assert.equal(page.headers.get('content-encoding'), 'br');
    const html = await get('/').then((r) => r.text());
    const script = /<script type="module" src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await get(script, { 'accept-encoding': 'br, gzip' });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(asset.headers.get('content-encoding'), 'br');
    const gzip = await get(script, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.headers.get('content-encoding'), 'gzip');
    assert.equal((await get('/assets/no-such-file.js')).status, 404);
  });

  test('sitemap.xml lists the home page, the categories and the products; robots.txt points to it', async () => {
    const sitemap = await get('/sitemap.xml');
    assert.equal(sitemap.status, 200);
    const xml = await sitemap.text();
    const products = (await (await get('/api/catalogue/products?limit=100')).json()) as { total: number };
    assert.equal((xml.match(/<loc>[^<]*\/p\/[^<]+<\/loc>/g) ?? []).length, products.total);
    assert.ok(xml.includes(`<loc>${web.url}/</loc>`));
    assert.match(xml, /<loc>[^<]*\/c\/[^<]+<\/loc>/);
    const robots = await (await get('/robots.txt')).text();
    assert.ok(robots.includes(`Sitemap: ${web.url}/sitemap.xml`));
    assert.match(robots, /Disallow: \/checkout/);
  });

  test('odd addresses and stale filters get a page or a 4xx, never a server error', async () => {
    const category = (
      (await (await get('/api/catalogue/categories')).json()) as { items: Array<{ slug: string }> }
    ).items[0]!;
    const emoji = `/search?q=${'a'.repeat(199)}%F0%9F%98%80`;
    for (const path of [
      '//a:99999/',
      '//[',
      '/p/%E0',
      '/c/',
      `/c/${category.slug}?cursor=not-a-cursor`,
      `/c/${category.slug}?minPrice=1e21&maxPrice=-3&attr=bad&sort=nonsense`,
      `/search?q=shirt&cursor=x`,
      emoji,
      '/account/sign-in?next=//evil.example',
      '/api/no-such-route',
    ]) {
      const res = await get(path);
      assert.ok(res.status < 500, `${path} answered ${res.status}`);
    }
    const head = await fetch(`${web.url}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    // An unknown API path stays an API problem, not a page.
    const api = await get('/api/no-such-route');
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type')!, /problem\+json/);
  });
});
