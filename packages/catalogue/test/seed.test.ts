import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { Conflict, migrateAll, type Database } from '@shopstack/kernel';
import { describeEachBackend, TestBackend, testBackends } from '@shopstack/kernel/testing';
import { catalogueService, seedCatalogue } from '../src/index.js';
import { generateProducts } from '../src/seed/index.js';

async function freshCatalogue(backend: TestBackend): Promise<Database> {
  const database = await backend.database(backend.config());
  await migrateAll(database, [catalogueService]);
  return database;
}

type Table = (name: string) => ReturnType<typeof sql.table>;

/** Runs SQL against the catalogue schema; `t('products')` names one of its tables. */
async function query<T>(database: Database, build: (t: Table) => RawBuilder<unknown>): Promise<T[]> {
  const schema = database.schemaFor('catalogue');
  const { rows } = await build((name) => sql.table(`${schema}.${name}`)).execute(database.db);
  return rows as T[];
}

interface ProductSnapshot {
  slug: string;
  name: string;
  description: string;
  status: string;
  category: string;
  options: unknown;
  images: unknown;
  min_price: number;
  max_price: number;
  variants: Array<{
    sku: string;
    title: string;
    price: number;
    compare_at_price: number | null;
    weight_grams: number;
    attributes: Record<string, string>;
    on_hand: number;
  }>;
}

/** Everything the seed decides, without the ids and timestamps it does not. */
async function snapshot(database: Database): Promise<ProductSnapshot[]> {
  return query<ProductSnapshot>(
    database,
    (t) => sql`
      select p.slug, p.name, p.description, p.status, c.slug as category, p.options, p.images,
             p.min_price, p.max_price,
             (select json_agg(json_build_object(
                 'sku', v.sku, 'title', v.title, 'price', v.price, 'compare_at_price', v.compare_at_price,
                 'weight_grams', v.weight_grams, 'attributes', v.attributes, 'on_hand', v.on_hand)
               order by v.position)
              from ${t('variants')} v where v.product_id = p.id) as variants
      from ${t('products')} p join ${t('categories')} c on c.id = p.category_id
      order by p.created_at, p.slug`,
  );
}

describeEachBackend('demo catalogue seed', (backend) => {
  test('the demo seed holds at least 500 published products in at least 10 nested categories', async () => {
    const database = await freshCatalogue(backend);
    const result = await seedCatalogue(database, { products: 600, currency: 'EUR' });

    const [counts] = await query<Record<string, number>>(
      database,
      (t) => sql`
        select (select count(*)::int from ${t('products')}) as products,
               (select count(*)::int from ${t('products')} where status = 'published') as published,
               (select count(*)::int from ${t('products')} where status = 'draft') as drafts,
               (select count(*)::int from ${t('products')} where status = 'archived') as archived,
               (select count(distinct category_id)::int from ${t('products')} where status = 'published') as used_categories,
               (select count(*)::int from ${t('categories')}) as categories,
               (select count(*)::int from ${t('categories')} where parent_id is not null) as nested,
               (select count(*)::int from ${t('variants')}) as variants`,
    );
    assert.deepEqual(
      { products: counts!.products, categories: counts!.categories, variants: counts!.variants },
      result,
    );
    assert.equal(result.products, 600);
    assert.ok(counts!.published >= 500, `published: ${counts!.published}`);
    assert.ok(counts!.drafts > 0 && counts!.archived > 0, 'some drafts and archived products');
    assert.ok(counts!.used_categories >= 10, `categories with products: ${counts!.used_categories}`);
    assert.ok(counts!.nested >= 5, 'categories are nested');
    assert.ok(result.variants >= 3 * result.products, 'several variants per product on average');

    const badPaths = await query(
      database,
      (t) => sql`
        select c.slug from ${t('categories')} c left join ${t('categories')} parent on parent.id = c.parent_id
        where c.path <> coalesce(parent.path, '/') || c.id || '/'`,
    );
    assert.deepEqual(badPaths, []);
    const [deepest] = await query<{ depth: number }>(
      database,
      (t) =>
        sql`select max(array_length(string_to_array(trim(both '/' from path), '/'), 1))::int as depth from ${t('categories')}`,
    );
    assert.ok(deepest!.depth >= 3, 'one branch is three levels deep');
  });

  test('seeded variants carry size and colour options, prices, weights and stock that agree with their product', async () => {
    const database = await freshCatalogue(backend);
    await seedCatalogue(database, { products: 600, currency: 'GBP' });
    const products = await snapshot(database);

    const [unique] = await query<Record<string, number>>(
      database,
      (t) => sql`
        select (select count(distinct slug)::int from ${t('products')}) as slugs,
               (select count(distinct sku)::int from ${t('variants')}) as skus,
               (select count(*)::int from ${t('variants')}) as variants,
               (select count(*)::int from ${t('variants')} v join ${t('products')} p on p.id = v.product_id
                 where v.currency <> 'GBP' or p.currency <> 'GBP') as wrong_currency`,
    );
    assert.equal(unique!.slugs, products.length);
    assert.equal(unique!.skus, unique!.variants);
    assert.equal(unique!.wrong_currency, 0);

    const variants = products.flatMap((p) => p.variants);
    assert.ok(
      variants.some((v) => v.attributes.size && v.attributes.colour),
      'variants with size and colour',
    );
    for (const product of products) {
      const prices = product.variants.map((v) => v.price);
      assert.equal(product.min_price, Math.min(...prices), product.slug);
      assert.equal(product.max_price, Math.max(...prices), product.slug);
      assert.ok(product.name.length > 5 && product.description.length > 40, product.slug);
      const optionNames = (product.options as Array<{ name: string; values: string[] }>).map((o) => o.name);
      for (const variant of product.variants) {
        assert.deepEqual(Object.keys(variant.attributes).sort(), [...optionNames].sort(), variant.sku);
        assert.ok(Number.isInteger(variant.price) && variant.price > 0, variant.sku);
        assert.ok(variant.weight_grams > 0, variant.sku);
        if (variant.compare_at_price !== null)
          assert.ok(variant.compare_at_price > variant.price, variant.sku);
      }
      const images = product.images as Array<{ url: string; alt: string }>;
      assert.ok(images.length >= 1, product.slug);
      images.forEach((image, i) => {
        assert.equal(image.url, `/api/catalogue/images/${product.slug}-${i + 1}.svg`);
        assert.ok(image.alt.startsWith(product.name), image.alt);
      });
    }
    assert.ok(
      products.some((p) => p.min_price < p.max_price),
      'some products have a price range',
    );
    assert.ok(
      variants.some((v) => v.compare_at_price !== null),
      'some variants are on sale',
    );

    const soldOut = products.filter((p) => p.variants.every((v) => v.on_hand === 0));
    const partly = products.filter(
      (p) => p.variants.some((v) => v.on_hand === 0) && p.variants.some((v) => v.on_hand > 0),
    );
    assert.ok(soldOut.length > 0, 'some products are out of stock entirely');
    assert.ok(partly.length > 0, 'some products have single variants out of stock');
  });

  test('two seeds with the same seed write the same catalogue, exactly as generated', async () => {
    const first = await freshCatalogue(backend);
    const second = await freshCatalogue(backend);
    await seedCatalogue(first, { products: 300, currency: 'EUR', seed: 7 });
    await seedCatalogue(second, { products: 300, currency: 'EUR', seed: 7 });
    const a = await snapshot(first);
    const b = await snapshot(second);
    assert.equal(a.length, 300);
    assert.deepEqual(a, b);

    // The database holds the generator's text unchanged, punctuation and all.
    const generated = [...generateProducts({ products: 300, currency: 'EUR', seed: 7 })];
    assert.deepEqual(
      a.map((p) => ({
        slug: p.slug,
        name: p.name,
        description: p.description,
        options: p.options,
        images: p.images,
      })),
      generated.map((p) => ({
        slug: p.slug,
        name: p.name,
        description: p.description,
        options: p.options,
        images: p.images,
      })),
    );

    const other = [...generateProducts({ products: 300, currency: 'EUR', seed: 8 })];
    assert.notDeepEqual(
      other.map((p) => p.slug),
      a.map((p) => p.slug),
    );
  });

  test('seeding a catalogue that holds data is refused and changes nothing, unless it replaces it', async () => {
    const database = await freshCatalogue(backend);
    await seedCatalogue(database, { products: 50, currency: 'EUR', seed: 1 });
    const before = await snapshot(database);

    await assert.rejects(seedCatalogue(database, { products: 50, currency: 'EUR', seed: 2 }), Conflict);
    assert.deepEqual(await snapshot(database), before);

    const progress: Array<[number, number]> = [];
    const result = await seedCatalogue(database, {
      products: 80,
      currency: 'EUR',
      seed: 2,
      replace: true,
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.equal(result.products, 80);
    assert.deepEqual(progress.at(-1), [80, 80]);
    const after = await snapshot(database);
    assert.deepEqual(
      after.map((p) => p.slug),
      [...generateProducts({ products: 80, currency: 'EUR', seed: 2 })].map((p) => p.slug),
    );
    const [categories] = await query<{ count: number }>(
      database,
      (t) => sql`select count(*)::int as count from ${t('categories')}`,
    );
    assert.equal(categories!.count, result.categories);
  });

  test('two seeds racing on one new catalogue: one writes it, the other is refused with Conflict', async () => {
    const database = await freshCatalogue(backend);
    const outcomes = await Promise.allSettled(
      [11, 12, 13].map((seed) => seedCatalogue(database, { products: 200, currency: 'EUR', seed })),
    );
    const written = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(written.length, 1);
    assert.equal(refused.length, 2);
    for (const r of refused) assert.ok(r.reason instanceof Conflict, String(r.reason));
    const [counts] = await query<{ products: number; categories: number }>(
      database,
      (t) => sql`
        select (select count(*)::int from ${t('products')}) as products,
               (select count(*)::int from ${t('categories')}) as categories`,
    );
    assert.deepEqual(counts, {
      products: 200,
      categories: (written[0] as PromiseFulfilledResult<{ categories: number }>).value.categories,
    });
  });
});

// Only PostgreSQL lets another process write while a store serves: an embedded store's data is locked to one process.
describe(
  'demo catalogue seed beside a running store [postgres]',
  { skip: !testBackends().includes('postgres') },
  () => {
    const backend = new TestBackend('postgres');
    before(() => backend.open(), { timeout: 120_000 });
    after(() => backend.close(), { timeout: 60_000 });

    test('seeding from another process makes a running store drop its cached catalogue', async () => {
      const shop = await backend.buildApp({ services: [catalogueService] });
      const listed = async () =>
        ((await shop.app.inject({ url: '/api/catalogue/products' })).json() as { total: number }).total;
      assert.equal(await listed(), 0);

      // A second handle on the store's schemas stands for `shopstack seed` run beside the server.
      const outside = await backend.database(shop.config);
      await seedCatalogue(outside, { products: 30, currency: 'EUR' });
      const deadline = Date.now() + 3000;
      while ((await listed()) === 0 && Date.now() < deadline) await sleep(20);
      assert.ok((await listed()) > 0, 'the store still lists its cached, empty catalogue');
    });
  },
);
