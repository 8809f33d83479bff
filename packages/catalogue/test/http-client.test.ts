import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, test } from 'node:test';
import {
  Conflict,
  InvalidInput,
  InvalidState,
  NotFound,
  UpstreamUnavailable,
  createLogger,
  mintServiceToken,
  serviceContext,
  type RequestContext,
  type ShopApp,
} from '@shopstack/kernel';
import { describeEachBackend, TEST_SERVICE_SECRET, settled } from '@shopstack/kernel/testing';
import type { CatalogueClient } from '../src/client.js';
import { HttpCatalogueClient } from '../src/http-client.js';
import { catalogueService } from '../src/index.js';
import { catalogueApi, contextOf, createProduct, stockOf, unique } from './staff.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What the kernel sends for a calling service: a service token carrying the call's actor. */
const serviceCredential = (ctx: RequestContext) =>
  mintServiceToken(
    { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'test', audience: 'catalogue' },
    ctx,
  );

describeEachBackend('catalogue HTTP client', (backend) => {
  let shop: ShopApp;
  let http: CatalogueClient;
  let local: CatalogueClient;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    http = new HttpCatalogueClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: serviceCredential,
      timeoutMs: 5000,
    });
    local = shop.services.clients.get('catalogue');
  });

  const ctx = () => contextOf(shop);

  /**
   * Runs the same scenario through both clients, each on a SKU of its own with the same stock; in
   * the outcomes, that SKU reads <sku> and the order reference <ref>, so the two can be compared.
   */
  async function both(
    onHand: number,
    scenario: (client: CatalogueClient, sku: string, ref: string) => Promise<unknown[]>,
  ) {
    const results: unknown[][] = [];
    for (const client of [local, http]) {
      const sku = unique('HC');
      const ref = unique('order');
      await createProduct(shop, { name: unique('Client product'), variants: [{ sku, onHand }] });
      const text = JSON.stringify(await scenario(client, sku, ref));
      results.push(JSON.parse(text.replaceAll(sku, '<sku>').replaceAll(ref, '<ref>')) as unknown[]);
    }
    return results as [unknown[], unknown[]];
  }

  test('reserve, repeat, release and commit give the same results over HTTP as in process', async () => {
    const [inProcess, overHttp] = await both(10, async (client, sku, ref) => [
      await settled(
        client.reserveStock(ctx(), ref, [
          { sku, quantity: 2 },
          { sku, quantity: 1 },
        ]),
      ),
      await settled(client.reserveStock(ctx(), ref, [{ sku, quantity: 3 }])),
      await stockOf(shop, sku),
      await settled(client.releaseStock(ctx(), ref)),
      await settled(client.releaseStock(ctx(), ref)),
      await stockOf(shop, sku),
      await settled(client.reserveStock(ctx(), `${ref}-b`, [{ sku, quantity: 4 }])),
      await settled(client.commitStock(ctx(), `${ref}-b`)),
      await settled(client.commitStock(ctx(), `${ref}-b`)),
      await stockOf(shop, sku),
    ]);
    assert.deepEqual(overHttp, inProcess);
    assert.deepEqual(inProcess.slice(0, 3), [
      { ok: { orderRef: '<ref>', status: 'reserved', lines: [{ sku: '<sku>', quantity: 3 }] } },
      { ok: { orderRef: '<ref>', status: 'reserved', lines: [{ sku: '<sku>', quantity: 3 }] } },
      { onHand: 10, reserved: 3, available: 7 },
    ]);
    assert.deepEqual(inProcess[4], {
      ok: { orderRef: '<ref>', status: 'released', lines: [{ sku: '<sku>', quantity: 3 }] },
    });
    assert.deepEqual(inProcess[8], {
      ok: { orderRef: '<ref>-b', status: 'committed', lines: [{ sku: '<sku>', quantity: 4 }] },
    });
    assert.deepEqual(inProcess[9], { onHand: 6, reserved: 0, available: 6 });
  });

  test('both clients raise the same domain errors', async () => {
    const [inProcess, overHttp] = await both(2, async (client, sku, ref) => [
      await settled(client.reserveStock(ctx(), ref, [{ sku, quantity: 3 }])),
      await settled(client.reserveStock(ctx(), `${ref}-q`, [{ sku, quantity: 0 }])),
      await settled(
        client.reserveStock(ctx(), `${ref}-u`, [
          { sku, quantity: 1 },
          { sku: 'NO-SUCH-SKU', quantity: 1 },
        ]),
      ),
      await settled(client.releaseStock(ctx(), `${ref}-missing`)),
      await settled(client.reserveStock(ctx(), ref, [{ sku, quantity: 1 }])),
      await settled(client.reserveStock(ctx(), ref, [{ sku, quantity: 2 }])),
      await settled(client.releaseStock(ctx(), ref)),
      await settled(client.commitStock(ctx(), ref)),
      await stockOf(shop, sku),
    ]);
    assert.deepEqual(overHttp, inProcess);
    const errorOf = (o: unknown) => (o as { error?: string }).error;
    assert.deepEqual(inProcess.slice(0, 4).map(errorOf), [
      Conflict.name,
      InvalidInput.name,
      InvalidInput.name,
      NotFound.name,
    ]);
    assert.deepEqual((inProcess[0] as { details: object }).details, {
      code: 'out_of_stock',
      sku: '<sku>',
      requested: 3,
      available: 2,
      shortages: [{ sku: '<sku>', requested: 3, available: 2 }],
    });
    assert.equal((inProcess[1] as { field: string }).field, 'lines.0.quantity');
    assert.equal((inProcess[2] as { field: string }).field, 'lines.1.sku');
    assert.equal(errorOf(inProcess[5]), Conflict.name);
    assert.equal(errorOf(inProcess[7]), InvalidState.name);
    assert.deepEqual(inProcess[8], { onHand: 2, reserved: 0, available: 2 });
  });

  test('a hold given to reserveStock is the same over HTTP as in process: taken from 1 to 86400 seconds, refused otherwise', async () => {
    const held: string[] = [];
    const [inProcess, overHttp] = await both(5, async (client, sku, ref) => {
      held.push(ref);
      return [
        await settled(client.reserveStock(ctx(), `${ref}-zero`, [{ sku, quantity: 1 }], { holdSeconds: 0 })),
        await settled(
          client.reserveStock(ctx(), `${ref}-long`, [{ sku, quantity: 1 }], { holdSeconds: 86_401 }),
        ),
        await settled(client.reserveStock(ctx(), ref, [{ sku, quantity: 2 }], { holdSeconds: 1 })),
        await stockOf(shop, sku),
      ];
    });
    assert.deepEqual(overHttp, inProcess);
    assert.deepEqual(
      inProcess.slice(0, 2).map((o) => [(o as { error: string }).error, (o as { field: string }).field]),
      [
        [InvalidInput.name, 'holdSeconds'],
        [InvalidInput.name, 'holdSeconds'],
      ],
    );
    assert.deepEqual(inProcess[3], { onHand: 5, reserved: 2, available: 3 });
    // Both reservations were held for one second: both are past their hold now.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.ok((await catalogueApi(shop).stock.releaseExpired(ctx())) >= 2);
    for (const ref of held) {
      assert.equal((await catalogueApi(shop).stock.getReservation(ctx(), ref)).status, 'released');
    }
  });

  test('getProduct returns the same product page over HTTP as in process, and null for an unknown one', async () => {
    const product = await createProduct(shop, {
      name: unique('Page product'),
      variants: [{ sku: unique('PG'), onHand: 3 }],
    });
    const viaHttp = await http.getProduct(ctx(), product.slug);
    assert.ok(viaHttp);
    assert.deepEqual(viaHttp, await local.getProduct(ctx(), product.slug));
    assert.equal(viaHttp.id, product.id);
    assert.equal(await http.getProduct(ctx(), 'no-such-product'), null);
    assert.equal(await local.getProduct(ctx(), 'no-such-product'), null);
  });

  test('findVariant finds a published variant by SKU or id with its exact stock, the same over HTTP; null otherwise', async () => {
    const sku = unique('FV');
    const product = await createProduct(shop, {
      name: unique('Lookup product'),
      variants: [
        { sku, onHand: 37 },
        { sku: unique('FV2'), onHand: 1 },
      ],
    });
    const draft = await createProduct(shop, {
      name: unique('Lookup draft'),
      status: 'draft',
      variants: [{ sku: unique('FVD'), onHand: 5 }],
    });
    const variantId = product.variants[0]!.id;
    for (const client of [local, http]) {
      const bySku = await client.findVariant(ctx(), { sku });
      assert.ok(bySku);
      assert.equal(bySku.variantId, variantId);
      assert.equal(bySku.product.id, product.id);
      // Exact, though shoppers of this store see counts capped.
      assert.equal(bySku.available, 37);
      assert.deepEqual(await client.findVariant(ctx(), { variantId }), bySku);
      assert.equal(await client.findVariant(ctx(), { sku: draft.variants[0]!.sku }), null);
      assert.equal(await client.findVariant(ctx(), { sku: unique('NOSUCH') }), null);
    }
    // Only staff and the services that sell (cart, checkout) may look variants up.
    const shopper = { ...ctx(), actor: { kind: 'customer' as const, id: 'c1' } };
    await assert.rejects(local.findVariant(shopper, { sku }), { name: 'Forbidden' });
    assert.ok(await local.findVariant({ ...shopper, caller: 'cart' }, { sku }));
  });

  test("a missing or refused service token and an unreachable catalogue are UpstreamUnavailable, never the shopper's 401", async () => {
    const { port } = shop.app.server.address() as AddressInfo;
    const anonymous = new HttpCatalogueClient({ baseUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(anonymous.releaseStock(ctx(), 'any'), (err: unknown) => {
      assert.ok(err instanceof UpstreamUnavailable, String(err));
      assert.equal(err.upstreamStatus, 401);
      return true;
    });
    const wrong = new HttpCatalogueClient({
      baseUrl: `http://127.0.0.1:${port}`,
      credential: async () => 'wrong',
    });
    await assert.rejects(wrong.commitStock(ctx(), 'any'), UpstreamUnavailable);

    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      new HttpCatalogueClient({ baseUrl: url }).releaseStock(ctx(), 'any'),
      UpstreamUnavailable,
    );
  });
});

test('the HTTP client sends the bearer token and request id, times out, and maps problems by type', async (t) => {
  const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
  let answer: { status: number; body: unknown; raw?: string; delayMs?: number } = { status: 200, body: {} };
  const timers: NodeJS.Timeout[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const send = () => {
        res.writeHead(answer.status, {
          'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json',
        });
        res.end(answer.raw ?? JSON.stringify(answer.body));
      };
      if (answer.delayMs) timers.push(setTimeout(send, answer.delayMs));
      else send();
    });
  });
  const url = await listen(server);
  t.after(async () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const ctx: RequestContext = {
    ...serviceContext(
      { id: 's', name: 'S', currency: 'EUR' },
      createLogger({ log: { level: 'silent' }, store: { id: 's', name: 'S', currency: 'EUR' } }),
      'orders',
    ),
    requestId: 'req-42',
    trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  };
  const client = new HttpCatalogueClient({
    baseUrl: url,
    credential: async () => 'secret-token',
    timeoutMs: 300,
  });

  answer = { status: 201, body: { orderRef: 'o-1', status: 'reserved', lines: [{ sku: 'A', quantity: 1 }] } };
  assert.deepEqual(await client.reserveStock(ctx, 'o-1', [{ sku: 'A', quantity: 1 }]), answer.body);
  assert.equal(seen[0]!.method, 'POST');
  assert.equal(seen[0]!.url, '/api/catalogue/reservations');
  assert.equal(seen[0]!.headers.authorization, 'Bearer secret-token');
  assert.equal(seen[0]!.headers['x-request-id'], 'req-42');
  assert.equal(
    seen[0]!.headers.traceparent,
    ctx.trace!.traceparent,
    'the trace context travels with the call',
  );
  assert.equal(seen[0]!.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(seen[0]!.body), { orderRef: 'o-1', lines: [{ sku: 'A', quantity: 1 }] });

  answer = { status: 200, body: { orderRef: 'o/1', status: 'released', lines: [] } };
  await client.releaseStock(ctx, 'o/1');
  assert.equal(seen[1]!.url, '/api/catalogue/reservations/o%2F1/release');
  assert.equal(seen[1]!.headers['content-type'], undefined);
  assert.equal(seen[1]!.body, '');

  // The problem type decides: a 409 that is an invalid-state problem is InvalidState, not Conflict.
  answer = {
    status: 409,
    body: {
      type: 'https://shopstack.dev/problems/invalid-state',
      title: 'Invalid State',
      status: 409,
      detail: 'released',
    },
  };
  await assert.rejects(
    client.commitStock(ctx, 'o-1'),
    (err: unknown) => err instanceof InvalidState && err.message === 'released',
  );
  answer = { status: 409, body: 'not a problem document' };
  await assert.rejects(client.commitStock(ctx, 'o-1'), Conflict);
  // A 503 is not retried for a call that is not idempotent, and is for one that is.
  answer = { status: 503, body: { title: 'Service Unavailable', status: 503 } };
  let before = seen.length;
  await assert.rejects(client.commitStock(ctx, 'o-1'), UpstreamUnavailable);
  assert.equal(seen.length - before, 1, 'a commit is sent once');
  before = seen.length;
  // Retries share the call's deadline: this client gives them time for all three attempts.
  const patient = new HttpCatalogueClient({
    baseUrl: url,
    credential: async () => 'secret-token',
    timeoutMs: 5_000,
  });
  await assert.rejects(patient.reserveStock(ctx, 'o-2', [{ sku: 'A', quantity: 1 }]), UpstreamUnavailable);
  assert.equal(seen.length - before, 3, 'a reservation (keyed by its order) is tried three times');

  answer = { status: 200, body: null, raw: '<html>Welcome</html>' };
  await assert.rejects(client.commitStock(ctx, 'o-1'), (err: unknown) => {
    assert.ok(err instanceof UpstreamUnavailable, String(err));
    assert.equal(err.upstreamStatus, 200);
    return true;
  });

  answer = { status: 200, body: {}, delayMs: 2000 };
  await assert.rejects(client.commitStock(ctx, 'o-1'), (err: unknown) => {
    assert.ok(err instanceof UpstreamUnavailable);
    assert.match(err.reason, /no answer within 300 ms/);
    return true;
  });
});
