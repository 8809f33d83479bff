import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { IMPORT_BODY_LIMIT } from '../src/routes/import.js';
import { IMPORT_MAX_ITEMS, type ImportReport, type StaffProduct } from '../src/schemas/admin.js';
import { catalogueApi, contextOf, staffHeaders, stockOf, unique } from './staff.js';

describeEachBackend('catalogue bulk import', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
  });

  const importJson = (payload: unknown) =>
    shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/import',
      headers: staffHeaders,
      payload: payload as object,
    });
  const importCsv = (csv: string) =>
    shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/import',
      headers: { ...staffHeaders, 'content-type': 'text/csv; charset=utf-8' },
      payload: csv,
    });
  const bySlug = async (slug: string): Promise<StaffProduct | undefined> => {
    const page = await catalogueApi(shop).admin.listProductsForStaff(contextOf(shop), {
      q: slug,
      pageSize: 100,
    });
    const hit = page.items.find((p) => p.slug === slug);
    return hit && catalogueApi(shop).admin.getProductForStaff(contextOf(shop), hit.id);
  };
  const productCount = async () =>
    (await catalogueApi(shop).admin.listProductsForStaff(contextOf(shop), { pageSize: 1 })).total;
  const eur = (amount: number) => ({ amount, currency: 'EUR' });

  test('a JSON import creates products, variants and stock; importing again updates them without duplicates', async () => {
    const category = await catalogueApi(shop).admin.createCategory(contextOf(shop), {
      name: unique('Kitchen'),
    });
    const [mugSlug, potSlug] = [unique('mug'), unique('pot')];
    const [mugSku, potSku1, potSku2] = [unique('MUG'), unique('POT'), unique('POT')];
    const first = await importJson([
      {
        slug: mugSlug,
        name: 'Stoneware mug',
        status: 'published',
        categorySlug: category.slug,
        variants: [{ sku: mugSku, price: eur(1200), onHand: 30 }],
      },
      {
        slug: potSlug,
        name: 'Tea pot',
        options: [{ name: 'Colour', values: ['Blue', 'Green'] }],
        variants: [
          { sku: potSku1, price: eur(3500), onHand: 5, attributes: { colour: 'Blue' } },
          { sku: potSku2, price: eur(3700), onHand: 0, attributes: { colour: 'Green' } },
        ],
      },
    ]);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), {
      created: 2,
      updated: 0,
      skipped: 0,
      variants: { created: 3, updated: 0 },
      errors: [],
    });
    const mug = (await bySlug(mugSlug))!;
    assert.equal(mug.status, 'published');
    assert.equal(mug.categoryId, category.id);
    assert.deepEqual(await stockOf(shop, mugSku), { onHand: 30, reserved: 0, available: 30 });
    const pot = (await bySlug(potSlug))!;
    assert.equal(pot.status, 'draft');
    assert.deepEqual(pot.priceRange, { min: eur(3500), max: eur(3700) });

    const count = await productCount();
    const again = await importJson({
      products: [
        {
          slug: mugSlug,
          name: 'Stoneware mug, large',
          variants: [{ sku: mugSku, price: eur(1400), onHand: 25 }],
        },
        {
          slug: potSlug,
          name: 'Tea pot',
          variants: [
            { sku: potSku1, price: eur(3000) },
            { sku: unique('POT'), price: eur(3900), onHand: 2 },
          ],
        },
      ],
    });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json(), {
      created: 0,
      updated: 2,
      skipped: 0,
      variants: { created: 1, updated: 2 },
      errors: [],
    });
    assert.equal(await productCount(), count);
    const mugAfter = (await bySlug(mugSlug))!;
    assert.equal(mugAfter.id, mug.id);
    assert.equal(mugAfter.name, 'Stoneware mug, large');
    assert.equal(mugAfter.status, 'published', 'a status left out is kept');
    assert.equal(mugAfter.categoryId, category.id, 'a category left out is kept');
    assert.deepEqual(
      mugAfter.variants.map((v) => [v.sku, v.price.amount, v.stock.onHand]),
      [[mugSku, 1400, 25]],
    );
    const potAfter = (await bySlug(potSlug))!;
    assert.equal(potAfter.variants.length, 3);
    assert.deepEqual(potAfter.priceRange, { min: eur(3000), max: eur(3900) });
    assert.equal((await stockOf(shop, potSku1)).onHand, 5, 'stock left out is kept');
  });

  test('a CSV import builds products from variant rows, with options, images and stock; re-import updates', async () => {
    const [hoodie, cap] = [unique('hoodie'), unique('cap')];
    const [h1, h2, c1] = [unique('HD'), unique('HD'), unique('CP')];
    const csv = [
      'slug,name,description,status,sku,price,compare_at_price,weight_grams,stock,option:Size,option:Colour,image_url',
      `${hoodie},Hoodie,"Warm, soft hoodie",published,${h1},4999,5999,600,12,M,Grey,/img/hoodie.jpg`,
      `${hoodie},,,,${h2},4999,,600,0,L,Grey,/img/hoodie.jpg`,
      `${cap},Cap,,draft,${c1},1999,,,7,,Black,`,
    ].join('\n');
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      created: 2,
      updated: 0,
      skipped: 0,
      variants: { created: 3, updated: 0 },
      errors: [],
    });

    const product = (await bySlug(hoodie))!;
    assert.equal(product.name, 'Hoodie');
    assert.equal(product.description, 'Warm, soft hoodie');
    assert.equal(product.status, 'published');
    assert.deepEqual(product.options, [
      { name: 'Size', values: ['M', 'L'] },
      { name: 'Colour', values: ['Grey'] },
    ]);
    assert.deepEqual(product.images, [{ url: '/img/hoodie.jpg', alt: '' }]);
    assert.deepEqual(
      product.variants.map((v) => [
        v.sku,
        v.price.amount,
        v.compareAtPrice?.amount ?? null,
        v.weightGrams,
        v.attributes,
      ]),
      [
        [h1, 4999, 5999, 600, { size: 'M', colour: 'Grey' }],
        [h2, 4999, null, 600, { size: 'L', colour: 'Grey' }],
      ],
    );
    assert.deepEqual(await stockOf(shop, h1), { onHand: 12, reserved: 0, available: 12 });
    assert.equal((await bySlug(cap))!.status, 'draft');

    const count = await productCount();
    const update = [
      'slug,name,sku,price,stock',
      `${hoodie},Hoodie,${h1},4500,20`,
      `${cap},Cap,${c1},1800,`,
    ].join('\n');
    const again = await importCsv(update);
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json(), {
      created: 0,
      updated: 2,
      skipped: 0,
      variants: { created: 0, updated: 2 },
      errors: [],
    });
    assert.equal(await productCount(), count);
    assert.deepEqual(await stockOf(shop, h1), { onHand: 20, reserved: 0, available: 20 });
    assert.equal((await stockOf(shop, c1)).onHand, 7);
    const hoodieAfter = (await bySlug(hoodie))!;
    assert.deepEqual(hoodieAfter.priceRange, { min: eur(4500), max: eur(4999) });
    assert.equal(hoodieAfter.variants.length, 2);
  });

  test('a bad row is reported with its row and field, and its product is not half-applied', async () => {
    const [broken, fine] = [unique('broken'), unique('fine')];
    const [b1, b2, f1] = [unique('BR'), unique('BR'), unique('FN')];
    const csv = [
      'slug,name,sku,price,stock',
      `${broken},Broken,${b1},1000,5`,
      `${broken},Broken,${b2},12.50,5`,
      `${fine},Fine,${f1},800,3`,
    ].join('\n');
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json() as ImportReport;
    assert.equal(report.created, 1);
    assert.equal(report.skipped, 1);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.row, 3);
    assert.equal(report.errors[0]!.field, 'price');
    assert.match(report.errors[0]!.message, /minor units/);
    assert.equal(await bySlug(broken), undefined);
    await assert.rejects(catalogueApi(shop).stock.getStockLevel(contextOf(shop), b1), /no SKU/);
    assert.ok(await bySlug(fine));

    // An existing product with a bad row in the update keeps every value it had.
    const update = [
      'slug,name,sku,price,stock',
      `${fine},Fine,${f1},900,9`,
      `${fine},Fine,${unique('FN')},,1`,
    ].join('\n');
    const second = (await importCsv(update)).json() as ImportReport;
    assert.deepEqual(
      second.errors.map((e) => [e.row, e.field]),
      [[3, 'price']],
    );
    assert.equal(second.updated, 0);
    const after = (await bySlug(fine))!;
    assert.deepEqual(
      after.variants.map((v) => [v.sku, v.price.amount, v.stock.onHand]),
      [[f1, 800, 3]],
    );
  });

  test('a CSV row with the wrong number of cells keeps its whole product out', async () => {
    const [torn, whole] = [unique('torn'), unique('whole')];
    const csv = [
      'slug,name,sku,price',
      `${torn},Torn,${unique('TR')},100`,
      `${torn},Torn,${unique('TR')},100,extra`,
      `${whole},Whole,${unique('WH')},100`,
    ].join('\n');
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json() as ImportReport;
    assert.equal(report.created, 1);
    assert.equal(report.skipped, 1);
    assert.deepEqual(
      report.errors.map((e) => [e.row, e.field]),
      [[3, '(row)']],
    );
    assert.equal(await bySlug(torn), undefined);
    assert.ok(await bySlug(whole));
  });

  test('JSON items are checked one by one: type, currency and SKU clashes are reported by position and field', async () => {
    const owner = await catalogueApi(shop).admin.createProduct(contextOf(shop), {
      name: unique('Owner'),
      variants: [{ sku: unique('OWN'), price: eur(100) }],
    });
    const taken = owner.variants[0]!.sku;
    const good = unique('good');
    const res = await importJson([
      { slug: good, name: 'Good', variants: [{ sku: unique('G'), price: eur(500) }] },
      { slug: unique('typed'), name: 'Typed', variants: [{ sku: unique('T'), price: '500' }] },
      {
        slug: unique('dollar'),
        name: 'Dollar',
        variants: [{ sku: unique('D'), price: { amount: 5, currency: 'USD' } }],
      },
      { slug: unique('thief'), name: 'Thief', variants: [{ sku: taken, price: eur(5) }] },
      { slug: unique('lost'), name: 'Lost', categorySlug: 'no-such-category', variants: [] },
      { slug: good, name: 'Good again', variants: [] },
      { name: 'Extra', reserved: 3 },
      { slug: 42, name: unique('Numbered') },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json() as ImportReport;
    assert.equal(report.created, 1);
    assert.equal(report.skipped, 7);
    assert.deepEqual(
      report.errors.map((e) => [e.row, e.field]),
      [
        [2, 'variants.0.price'],
        [3, 'variants.0.price.currency'],
        [4, 'variants.0.sku'],
        [5, 'categorySlug'],
        [6, 'slug'],
        [7, 'reserved'],
        [8, 'slug'],
      ],
    );
    assert.equal((await stockOf(shop, taken)).onHand, 0);
    assert.equal((await bySlug(good))!.name, 'Good');
  });

  test('stock below what is reserved skips that product only; the rest of the import goes in', async () => {
    const held = unique('held');
    const sku = unique('HLD');
    await importJson([
      { slug: held, name: 'Held', status: 'published', variants: [{ sku, price: eur(100), onHand: 10 }] },
    ]);
    await catalogueApi(shop).stock.reserve(contextOf(shop), {
      orderRef: unique('order'),
      lines: [{ sku, quantity: 6 }],
    });

    const other = unique('other');
    const res = await importJson([
      { slug: held, name: 'Held, renamed', variants: [{ sku, price: eur(200), onHand: 5 }] },
      { slug: other, name: 'Other', variants: [{ sku: unique('OTH'), price: eur(100), onHand: 1 }] },
    ]);
    const report = res.json() as ImportReport;
    assert.equal(report.created, 1);
    assert.equal(report.updated, 0);
    assert.deepEqual(
      report.errors.map((e) => [e.row, e.field]),
      [[1, 'variants.0.onHand']],
    );
    const after = (await bySlug(held))!;
    assert.equal(after.name, 'Held');
    assert.equal(after.variants[0]!.price.amount, 100);
    assert.deepEqual(await stockOf(shop, sku), { onHand: 10, reserved: 6, available: 4 });
    assert.ok(await bySlug(other));
  });

  test('two imports racing over the same products in opposite orders both go in whole', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ slug: unique('racer'), name: `Racer ${i}` }));
    assert.equal((await importJson(items)).statusCode, 200);
    const [forward, backward] = await Promise.all([
      importJson(items.map((item) => ({ ...item, name: `${item.name} forward` }))),
      importJson([...items].reverse().map((item) => ({ ...item, name: `${item.name} backward` }))),
    ]);
    for (const res of [forward, backward]) {
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as ImportReport).updated, 40);
    }
    const names = await Promise.all(items.map(async (item) => (await bySlug(item.slug))!.name));
    const winner = names[0]!.endsWith('forward') ? 'forward' : 'backward';
    assert.ok(
      names.every((name) => name.endsWith(winner)),
      'one import applied after the other',
    );
  });

  test('an unreadable CSV (unknown column, no sku column) or another media type is refused whole', async () => {
    const count = await productCount();
    const unknown = await importCsv(`slug,name,sku,price,colour\n${unique('x')},X,${unique('X')},100,red`);
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().field, 'colour');
    const noSku = await importCsv(`slug,name,price\n${unique('x')},X,100`);
    assert.equal(noSku.statusCode, 422);
    assert.equal(noSku.json().field, 'sku');
    const text = await shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/import',
      headers: { ...staffHeaders, 'content-type': 'text/plain' },
      payload: 'slug,name,sku,price',
    });
    assert.equal(text.statusCode, 415);
    const notArray = await importJson({ items: [] });
    assert.equal(notArray.statusCode, 400);
    assert.equal(await productCount(), count);
  });

  test('a CSV with more rows than an import may hold is refused with 422 import_too_many_rows before the rows past the limit are read', async () => {
    const count = await productCount();
    const rows = Array.from({ length: IMPORT_MAX_ITEMS + 1 }, (_, i) => `limit-${i},Limit,LIMIT-${i},100`);
    // Past the limit the file cannot even be parsed: a refusal that names the limit proves parsing stopped first.
    const csv = ['slug,name,sku,price', ...rows, '"an open quote, never closed'].join('\n');
    const res = await importCsv(csv);
    assert.equal(res.statusCode, 422, res.body);
    const problem = res.json() as Record<string, unknown>;
    assert.equal(problem.code, 'import_too_many_rows');
    assert.equal(problem.field, 'body');
    assert.match(String(problem.detail), new RegExp(`at most ${IMPORT_MAX_ITEMS} rows`));
    assert.equal(await productCount(), count);

    const exactly = ['slug,name,sku,price', ...rows.slice(0, IMPORT_MAX_ITEMS), '"an open quote'].join('\n');
    const unreadable = await importCsv(exactly);
    assert.equal(unreadable.statusCode, 422, unreadable.body);
    assert.equal(unreadable.json().code, 'csv_unreadable');
    assert.equal(await productCount(), count);
  });

  test('10 MB of tiny CSV rows is refused with 422 import_too_many_rows in moments, not after parsing every row', async () => {
    const row = 'a,b,c,1\n';
    const csv = `slug,name,sku,price\n${row.repeat(Math.floor((IMPORT_BODY_LIMIT - 100) / row.length))}`;
    const started = performance.now();
    const res = await importCsv(csv);
    const elapsed = performance.now() - started;
    assert.equal(res.statusCode, 422, res.body.slice(0, 300));
    assert.equal(res.json().code, 'import_too_many_rows');
    // Parsing the whole file took 6 s or more; stopping at the limit takes well under one.
    assert.ok(elapsed < 3000, `took ${Math.round(elapsed)} ms`);
  });

  test('the import route documents its body and row limits', async () => {
    const doc = (await shop.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    const description = doc.paths['/api/catalogue/admin/import']!.post!.description ?? '';
    assert.match(description, /10 MB \(10485760 bytes/);
    assert.match(description, new RegExp(`at most ${IMPORT_MAX_ITEMS} rows after its header`));
    assert.match(description, /import_too_many_rows/);
  });
});
