import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { actAs, describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import type { LowStockList } from '../src/schemas/stock.js';
import { createProduct, staffHeaders, unique } from './staff.js';

describeEachBackend('the low-stock list', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
  });

  const lowStock = (query = '', headers: Record<string, string> = staffHeaders) =>
    shop.app.inject({ method: 'GET', url: `/api/catalogue/admin/stock${query}`, headers });

  test('variants with fewer available units than the threshold come fewest first, with their product; reserved units count', async () => {
    const [empty, two, three, plenty, reservedDown, archivedSku, draftSku] = [
      'EMPTY',
      'TWO',
      'THREE',
      'PLENTY',
      'RESERVED',
      'ARCHIVED',
      'DRAFT',
    ].map((name) => unique(`LOW-${name}`));
    const jacket = await createProduct(shop, {
      name: 'Low Jacket',
      variants: [
        { sku: empty!, onHand: 0 },
        { sku: three!, onHand: 3 },
        { sku: plenty!, onHand: 50 },
      ],
    });
    await createProduct(shop, { name: 'Low Socks', variants: [{ sku: two!, onHand: 2 }] });
    await createProduct(shop, { name: 'Low Hat', variants: [{ sku: reservedDown!, onHand: 6 }] });
    const reserve = await shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/reservations',
      headers: staffHeaders,
      payload: { orderRef: unique('low-order'), lines: [{ sku: reservedDown, quantity: 5 }] },
    });
    assert.equal(reserve.statusCode, 201, reserve.body);
    const archived = await createProduct(shop, {
      name: 'Low Gone',
      variants: [{ sku: archivedSku!, onHand: 0 }],
    });
    const archive = await shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/admin/products/${archived.id}/archive`,
      headers: staffHeaders,
    });
    assert.equal(archive.statusCode, 200, archive.body);
    await createProduct(shop, {
      name: 'Low Draft',
      status: 'draft',
      variants: [{ sku: draftSku!, onHand: 1 }],
    });

    const res = await lowStock('?below=4');
    assert.equal(res.statusCode, 200, res.body);
    const { items } = res.json() as LowStockList;
    assert.deepEqual(
      items.map((i) => [i.sku, i.available]),
      [
        [empty, 0],
        [draftSku, 1],
        [reservedDown, 1],
        [two, 2],
        [three, 3],
      ].sort((a, b) => (a[1] as number) - (b[1] as number) || ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    );
    const first = items[0]!;
    assert.deepEqual(first, {
      variantId: jacket.variants[0]!.id,
      productId: jacket.id,
      productName: 'Low Jacket',
      productStatus: 'published',
      sku: empty,
      title: jacket.variants[0]!.title,
      onHand: 0,
      reserved: 0,
      available: 0,
    });
    assert.equal(items.find((i) => i.sku === reservedDown)!.reserved, 5);
    assert.equal(items.find((i) => i.sku === draftSku)!.productStatus, 'draft');

    const limited = (await lowStock('?below=4&limit=2')).json() as LowStockList;
    assert.deepEqual(limited.items, items.slice(0, 2));
    // The default threshold is 5.
    const byDefault = (await lowStock()).json() as LowStockList;
    assert.ok(byDefault.items.some((i) => i.sku === reservedDown));
    assert.ok(!byDefault.items.some((i) => i.sku === plenty));
  });

  test('customers get 403 and the anonymous 401; a threshold or limit out of range is 400', async () => {
    const customer = {
      authorization: `Bearer ${await actAs({ kind: 'customer', id: 'c-low' }, 'catalogue')}`,
    };
    assert.equal((await lowStock('', customer)).statusCode, 403);
    assert.equal((await lowStock('', {})).statusCode, 401);
    for (const query of ['?below=0', '?below=x', '?limit=0', '?limit=101', '?sku=A']) {
      assert.equal((await lowStock(query)).statusCode, 400, query);
    }
  });
});
