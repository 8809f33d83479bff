import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { buildApp, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend, type TestBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import {
  categoryTree,
  createCategory,
  eventually,
  listing,
  madeUpWord,
  productPage,
  read,
  staffCall,
  typoOf,
} from './public-reads.js';
import { createProduct, unique } from './staff.js';

/**
 * Another process on the database of `shop`, or the same one restarted: a new app on the same
 * schemas, with a database handle and read index of its own. Closed when the test ends.
 */
async function openBeside(backend: TestBackend, shop: ShopApp, t: TestContext): Promise<ShopApp> {
  const config = backend.config({ database: { schemaPrefix: shop.config.database.schemaPrefix } });
  const database = await backend.database(config);
  const other = await buildApp({ config, database, services: [catalogueService] });
  t.after(() => other.app.close());
  return other;
}

describeEachBackend('catalogue read index across processes and restarts', (backend) => {
  const otherProcesses = {
    skip:
      backend.kind === 'postgres' ? false : 'PGlite is opened by one process only: no other process to tell',
  };

  /** Two processes serving one catalogue: A, where the writes go, and B, which learns of them by NOTIFY. */
  const twoProcesses = async (t: TestContext) => {
    const a = await backend.buildApp({ services: [catalogueService] });
    const b = await openBeside(backend, a, t);
    return { a, b };
  };

  test(
    'a product archived in one process stops being listed, found and served by another within seconds',
    otherProcesses,
    async (t) => {
      const { a, b } = await twoProcesses(t);
      const term = madeUpWord();
      const product = await createProduct(a, {
        name: `Hammock ${term}`,
        variants: [{ sku: unique('HM'), onHand: 2 }],
      });
      for (const [name, shop] of [
        ['A', a],
        ['B', b],
      ] as const) {
        await eventually(`${name} shows the new product`, async () => {
          assert.deepEqual(
            (await listing(shop, { limit: 100 })).items.map((i) => i.id),
            [product.id],
          );
          assert.deepEqual(
            (await listing(shop, { q: term })).items.map((i) => i.id),
            [product.id],
          );
          assert.equal((await productPage(shop, product.slug)).id, product.id);
        });
      }

      await staffCall(a, 'POST', `/admin/products/${product.id}/archive`);
      assert.equal((await read(a, `/products/${product.slug}`)).statusCode, 404, 'A, at once');

      await eventually('B forgets the archived product', async () => {
        assert.equal((await read(b, `/products/${product.slug}`)).statusCode, 404);
        assert.equal((await read(b, `/products/${product.id}`)).statusCode, 404);
        const listed = await listing(b, { limit: 100 });
        assert.deepEqual(listed.items, []);
        assert.equal(listed.total, 0);
        assert.deepEqual((await listing(b, { q: term })).items, []);
      });
    },
  );

  test(
    'a stock change in one process reaches the product page and listing of another process within seconds',
    otherProcesses,
    async (t) => {
      const { a, b } = await twoProcesses(t);
      const sku = unique('SL');
      const product = await createProduct(a, {
        name: `Sledge ${madeUpWord()}`,
        variants: [{ sku, onHand: 4 }],
      });
      const stockIn = async (shop: ShopApp) => ({
        page: (await productPage(shop, product.slug)).variants[0]!.stock,
        listed: (await listing(shop, { inStock: true })).items.map((i) => i.id),
      });
      await eventually('B shows the new product in stock', async () => {
        assert.deepEqual(await stockIn(b), {
          page: { inStock: true, available: 4, moreAvailable: false },
          listed: [product.id],
        });
      });

      await staffCall(a, 'PUT', `/admin/stock/${sku}`, { onHand: 0 });
      const soldOut = { page: { inStock: false, available: 0, moreAvailable: false }, listed: [] };
      assert.deepEqual(await stockIn(a), soldOut, 'A, at once');
      await eventually('B shows it sold out', async () => assert.deepEqual(await stockIn(b), soldOut));

      await staffCall(a, 'POST', `/admin/stock/${sku}/adjust`, { delta: 7 });
      await staffCall(a, 'POST', '/reservations', {
        orderRef: unique('order'),
        lines: [{ sku, quantity: 2 }],
      });
      const restocked = {
        page: { inStock: true, available: 5, moreAvailable: false },
        listed: [product.id],
      };
      await eventually('B shows the delivery less the reservation', async () =>
        assert.deepEqual(await stockIn(b), restocked),
      );
    },
  );

  test(
    'a category renamed in one process shows on the product pages and category tree of another process within seconds',
    otherProcesses,
    async (t) => {
      const { a, b } = await twoProcesses(t);
      const room = await createCategory(a, { name: 'Garden' });
      const shelf = await createCategory(a, { name: 'Seeds', parentId: room.id });
      const product = await createProduct(a, {
        name: `Seed tin ${madeUpWord()}`,
        categoryId: shelf.id,
        variants: [{ sku: unique('ST'), onHand: 1 }],
      });
      /** The names a product page shows: its category's, then its breadcrumb's from the root down. */
      const names = async (shop: ShopApp) => {
        const category = (await productPage(shop, product.slug)).category!;
        return [category.name, ...category.breadcrumb.map((c) => c.name)];
      };
      const treeNames = async (shop: ShopApp) =>
        (await categoryTree(shop)).items.map((root) => [root.name, root.children.map((c) => c.name)]);
      await eventually('B shows the product in its category', async () => {
        assert.deepEqual(await names(b), ['Seeds', 'Garden']);
        assert.deepEqual(await treeNames(b), [['Garden', ['Seeds']]]);
      });

      await staffCall(a, 'PATCH', `/admin/categories/${shelf.id}`, { name: 'Bulbs' });
      assert.deepEqual(await names(a), ['Bulbs', 'Garden'], 'A, at once');
      await eventually('B shows the renamed category', async () => {
        assert.deepEqual(await names(b), ['Bulbs', 'Garden']);
        assert.equal((await listing(b, { limit: 100 })).items[0]!.category?.name, 'Bulbs');
        assert.deepEqual(await treeNames(b), [['Garden', ['Bulbs']]]);
      });

      // The parent's name is on the page too, in the breadcrumb.
      await staffCall(a, 'PATCH', `/admin/categories/${room.id}`, { name: 'Allotment' });
      assert.deepEqual(await names(a), ['Bulbs', 'Allotment'], 'A, at once');
      await eventually('B shows the renamed parent category', async () => {
        assert.deepEqual(await names(b), ['Bulbs', 'Allotment']);
        assert.deepEqual(await treeNames(b), [['Allotment', ['Bulbs']]]);
      });
    },
  );

  test('a restarted process rebuilds its read index from the database and answers every read as before', async (t) => {
    const first = await backend.buildApp({ services: [catalogueService] });
    const [spade, rake, besom] = [madeUpWord(), madeUpWord(), madeUpWord()];
    const garden = await createCategory(first, { name: 'Garden' });
    const tools = await createCategory(first, { name: 'Tools', parentId: garden.id });
    const kitchen = await createCategory(first, { name: 'Kitchen' });
    await createCategory(first, { name: 'Empty shelf', parentId: kitchen.id });
    const colours = (colour: string) => ({ colour });

    const spadeProduct = await createProduct(first, {
      name: `Spade ${spade}`,
      categoryId: tools.id,
      variants: [
        { sku: unique('SP'), price: 2400, onHand: 3, attributes: colours('Green') },
        { sku: unique('SP'), price: 2600, onHand: 0, attributes: colours('Red') },
      ],
    });
    await createProduct(first, {
      name: `Border ${spade} fork`,
      categoryId: tools.id,
      variants: [{ sku: unique('FK'), price: 3100, onHand: 12, attributes: colours('Green') }],
    });
    const rakeProduct = await createProduct(first, {
      name: `Rake ${rake}`,
      categoryId: garden.id,
      variants: [{ sku: unique('RK'), price: 5200, onHand: 1 }],
    });
    await createProduct(first, {
      name: `Kettle ${madeUpWord()}`,
      categoryId: kitchen.id,
      variants: [{ sku: unique('KT'), price: 12000, onHand: 0 }],
    });
    await createProduct(first, {
      name: `Twine ${madeUpWord()}`,
      variants: [{ sku: unique('TW'), price: 300 }],
    });
    await createProduct(first, {
      name: `Draft ${spade} hoe`,
      status: 'draft',
      categoryId: tools.id,
      variants: [{ sku: unique('HO'), price: 2500, onHand: 5 }],
    });
    const archived = await createProduct(first, {
      name: `Old ${spade} trowel`,
      categoryId: tools.id,
      variants: [{ sku: unique('TR'), price: 2700, onHand: 5 }],
    });
    await staffCall(first, 'POST', `/admin/products/${archived.id}/archive`);
    // Changes after creation: a rename, a price, and units held by a reservation.
    await staffCall(first, 'PATCH', `/admin/products/${rakeProduct.id}`, { name: `Besom ${besom}` });
    await staffCall(first, 'PATCH', `/admin/variants/${spadeProduct.variants[1]!.id}`, {
      price: { amount: 2550, currency: 'EUR' },
    });
    await staffCall(first, 'POST', '/reservations', {
      orderRef: unique('order'),
      lines: [{ sku: spadeProduct.variants[0]!.sku, quantity: 1 }],
    });

    const reads = async (shop: ShopApp) => {
      const firstPage = await listing(shop, { sort: 'price', limit: 2 });
      const page = await read(shop, `/products/${spadeProduct.slug}`);
      assert.equal(page.statusCode, 200, page.body);
      return {
        everything: await listing(shop, { limit: 100 }),
        byName: await listing(shop, { sort: 'name', limit: 100 }),
        firstPage,
        secondPage: await listing(shop, { sort: 'price', limit: 2, cursor: firstPage.nextCursor! }),
        filtered: await listing(shop, {
          category: garden.slug,
          minPrice: 2000,
          maxPrice: 6000,
          inStock: true,
          attr: 'colour:Green',
        }),
        typo: await listing(shop, { q: typoOf(spade) }),
        oldName: await listing(shop, { q: rake }),
        newName: await listing(shop, { q: besom }),
        page: { body: page.json() as unknown, etag: page.headers.etag },
        tree: await categoryTree(shop),
      };
    };
    const before = await reads(first);
    // The reads are worth comparing only if they hold what was written.
    assert.equal(before.everything.total, 5);
    assert.equal(before.everything.facets.inStock, 3);
    assert.deepEqual(before.typo.items.map((i) => i.name).sort(), [`Border ${spade} fork`, `Spade ${spade}`]);
    assert.deepEqual(before.filtered.items.map((i) => i.name).sort(), [
      `Border ${spade} fork`,
      `Spade ${spade}`,
    ]);
    assert.deepEqual(before.oldName.items, []);
    assert.deepEqual(
      before.newName.items.map((i) => i.name),
      [`Besom ${besom}`],
    );
    assert.ok(before.firstPage.nextCursor);
    assert.equal(before.tree.items.length, 2);

    await first.app.close();
    const restarted = await openBeside(backend, first, t);
    assert.deepEqual(await reads(restarted), before);
  });
});
