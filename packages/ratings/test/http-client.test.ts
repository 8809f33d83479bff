import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, test } from 'node:test';
import { mintServiceToken, UpstreamUnavailable, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend, settled, TEST_SERVICE_SECRET } from '@shopstack/kernel/testing';
import type { RatingsClient } from '../src/client.js';
import { HttpRatingsClient } from '../src/http-client.js';
import { buildRatingsShop, buyer, contextAs, expectedRating, productOnSale, review } from './support.js';

/** What the kernel sends for a calling service: a service token carrying the call's actor. */
const serviceCredential = (ctx: RequestContext) =>
  mintServiceToken(
    { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'catalogue', audience: 'ratings' },
    ctx,
  );

describeEachBackend('ratings HTTP client', (backend) => {
  let shop: ShopApp;
  let http: HttpRatingsClient;
  let local: RatingsClient;
  let productId: string;
  before(async () => {
    shop = await buildRatingsShop(backend);
    const product = await productOnSale(shop);
    productId = product.productId;
    await review(shop, productId, await buyer(shop, product), 5);
    await review(shop, productId, await buyer(shop, product), 2);
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    http = new HttpRatingsClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: serviceCredential,
      timeoutMs: 5000,
    });
    local = shop.services.clients.get('ratings');
  });

  test('ratings and refusals are the same over HTTP as in process', async () => {
    const ctx = contextAs(shop, { kind: 'anonymous' });
    const never = randomUUID();
    const ids = [productId, never, 'not an id!', productId.toUpperCase()];
    const results: unknown[][] = [];
    for (const client of [local, http]) {
      const row: unknown[] = [];
      for (const id of ids) row.push(await settled(client.productRating(ctx, id)));
      results.push(row);
    }
    const [inProcess, overHttp] = results as [unknown[], unknown[]];
    assert.deepEqual(overHttp, inProcess);
    assert.deepEqual(inProcess[0], { ok: expectedRating(productId, [5, 2]) });
    assert.deepEqual(inProcess[1], { ok: expectedRating(never, []) });
    assert.ok((inProcess[2] as { error?: string }).error, 'a malformed id is refused');
  });

  test('an unreachable ratings service is UpstreamUnavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const client = new HttpRatingsClient({ baseUrl: url });
    await assert.rejects(
      client.productRating(contextAs(shop, { kind: 'anonymous' }), productId),
      UpstreamUnavailable,
    );
  });
});
