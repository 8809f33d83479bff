import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  mintServiceToken,
  serviceContext,
  type Actor,
  type RequestContext,
  type ShopApp,
} from '@shopstack/kernel';
import { describeEachBackend, TEST_SERVICE_SECRET, settled } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import type { CartClient } from '../src/client.js';
import type { Cart } from '../src/schemas/cart.js';
import { HttpCartClient } from '../src/http-client.js';
import { cartService } from '../src/index.js';
import {
  cartRequest,
  createDiscount,
  createProduct,
  fakeShippingService,
  guestCart,
  unique,
} from './support.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

describeEachBackend('cart HTTP client', (backend) => {
  let shop: ShopApp;
  let http: HttpCartClient;
  let local: CartClient;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService, fakeShippingService, cartService] });
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    // What the kernel sends for the orders service: a service token carrying the call's actor.
    http = new HttpCartClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: (ctx) =>
        mintServiceToken(
          { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'orders', audience: 'cart' },
          ctx,
        ),
      timeoutMs: 5000,
    });
    local = shop.services.clients.get('cart');
  });
  after(() => http.close());

  /** The orders service passing on a call of the actor, as the HTTP client's credential says. */
  const as = (actor: Actor): RequestContext => ({
    ...serviceContext(shop.config.store, shop.logger, 'orders'),
    actor,
    caller: 'orders',
  });

  /** Runs the same scenario through both clients, each on data of its own, with the varying parts masked. */
  async function both(scenario: (client: CartClient, names: Record<string, string>) => Promise<unknown[]>) {
    const results: string[] = [];
    for (const client of [local, http]) {
      const sku = unique('HC');
      const product = await createProduct(shop, [{ sku, price: 1999, weightGrams: 250 }]);
      const cart = await guestCart(shop);
      await cartRequest(
        shop,
        'POST',
        `/${cart.id}/lines`,
        { token: cart.token },
        { productId: product.id, sku, quantity: 2 },
      );
      const code = (
        await createDiscount(shop, { code: unique('HC'), kind: 'fixed', value: 500, usageLimit: 1 })
      ).code;
      const names = {
        sku,
        cartId: cart.id,
        token: cart.token,
        code,
        orderRef: unique('hc-order'),
        productId: product.id,
      };
      let text = JSON.stringify(await scenario(client, names));
      for (const [name, value] of Object.entries(names)) text = text.replaceAll(value, `<${name}>`);
      results.push(
        text
          .replace(UUID, '<uuid>')
          .replace(TIME, '<time>')
          .replace(/Cart product-\d+-\d+/g, '<name>'),
      );
    }
    return results.map((text) => JSON.parse(text) as unknown[]);
  }

  test('reading a cart and its parcel gives the same answers and refusals over HTTP as in process', async () => {
    const [inProcess, overHttp] = await both(async (client, n) => [
      await settled(client.getCart(as({ kind: 'anonymous' }), n.cartId, n.token)),
      await settled(client.parcelOf(as({ kind: 'anonymous' }), n.cartId, n.token)),
      await settled(client.getCart(as({ kind: 'anonymous' }), n.cartId)),
      await settled(client.parcelOf(as({ kind: 'customer', id: 'c-stranger' }), n.cartId)),
      await settled(client.getCart(as({ kind: 'anonymous' }), 'no-such-cart', n.token)),
    ]);
    assert.deepEqual(overHttp, inProcess);
    assert.deepEqual(inProcess[1], {
      ok: {
        cartId: '<cartId>',
        currency: 'EUR',
        subtotal: 3998,
        discountedSubtotal: 3998,
        weightGrams: 500,
        itemCount: 2,
      },
    });
    const refusal = { error: 'NotFound', details: { code: 'cart_not_found', cartId: '<cartId>' } };
    assert.deepEqual(inProcess.slice(2, 4), [refusal, refusal]);
  });

  test('choosing shipping and completing a cart give the same answers and refusals over HTTP as in process', async () => {
    const [inProcess, overHttp] = await both(async (client, n) => {
      const guest = as({ kind: 'anonymous' });
      const standard = { country: 'DE', methodCode: 'standard' };
      return [
        await settled(client.selectShipping(guest, n.cartId, standard, n.token)),
        await settled(
          client.selectShipping(guest, n.cartId, { country: 'JP', methodCode: 'standard' }, n.token),
        ),
        await settled(
          client.selectShipping(guest, n.cartId, { country: 'DE', methodCode: 'drone' }, n.token),
        ),
        await settled(client.selectShipping(guest, n.cartId, standard)),
        await settled(client.completeCart(guest, n.cartId, { orderRef: n.orderRef })),
        await settled(client.completeCart(guest, n.cartId, { orderRef: n.orderRef, cartToken: n.token })),
        await settled(client.completeCart(guest, n.cartId, { orderRef: n.orderRef, cartToken: n.token })),
        await settled(
          client.completeCart(guest, n.cartId, { orderRef: `${n.orderRef}-b`, cartToken: n.token }),
        ),
        await settled(client.completeCart(guest, n.cartId, { orderRef: '', cartToken: n.token })),
        await settled(client.selectShipping(guest, n.cartId, standard, n.token)),
        await settled(client.getCart(guest, n.cartId, n.token)),
        await settled(
          client.completeCart(as({ kind: 'customer', id: 'c-stranger' }), n.cartId, { orderRef: n.orderRef }),
        ),
      ];
    });
    assert.deepEqual(overHttp, inProcess);
    const errorOf = (o: unknown) => (o as { error?: string }).error;
    const codeOf = (o: unknown) => (o as { details?: { code?: string } }).details?.code;
    const okOf = (o: unknown) => (o as { ok?: Cart }).ok;
    assert.deepEqual(
      inProcess.map((o) => codeOf(o) ?? okOf(o)?.status ?? errorOf(o)),
      [
        'active',
        'shipping_destination_unsupported',
        'shipping_method_unavailable',
        'cart_not_found',
        'cart_not_found',
        'completed',
        'completed',
        'cart_not_active',
        'InvalidInput',
        'cart_completed',
        'completed',
        'cart_not_found',
      ],
    );
    // 2 x 19.99 shipped to Germany by standard: 4.90.
    assert.deepEqual([okOf(inProcess[0])?.shipping?.price, okOf(inProcess[0])?.totals.total], [490, 4488]);
    assert.deepEqual(okOf(inProcess[6]), okOf(inProcess[5]));
    assert.deepEqual(okOf(inProcess[10])?.shipping, okOf(inProcess[0])?.shipping);
  });

  test('redeeming and releasing a code gives the same results and errors over HTTP as in process', async () => {
    const [inProcess, overHttp] = await both(async (client, n) => {
      const orders = as({ kind: 'service', name: 'orders' });
      return [
        await settled(
          client.redeemDiscount(orders, { code: n.code, orderRef: n.orderRef, customerId: 'c-1' }),
        ),
        await settled(
          client.redeemDiscount(orders, { code: n.code, orderRef: n.orderRef, customerId: 'c-1' }),
        ),
        await settled(client.redeemDiscount(orders, { code: n.code, orderRef: `${n.orderRef}-b` })),
        await settled(client.redeemDiscount(orders, { code: 'NO-SUCH-CODE', orderRef: `${n.orderRef}-c` })),
        await settled(client.redeemDiscount(orders, { code: n.code, orderRef: '' })),
        await settled(client.releaseDiscount(orders, n.orderRef)),
        await settled(client.releaseDiscount(orders, n.orderRef)),
        await settled(client.releaseDiscount(orders, `${n.orderRef}-missing`)),
        await settled(
          client.redeemDiscount(orders, { code: n.code, orderRef: n.orderRef, customerId: 'c-1' }),
        ),
      ];
    });
    assert.deepEqual(overHttp, inProcess);
    const errorOf = (o: unknown) => (o as { error?: string; details?: { code?: string } }).error;
    const codeOf = (o: unknown) => (o as { details?: { code?: string } }).details?.code;
    assert.deepEqual(
      inProcess.map((o) => errorOf(o) ?? (o as { ok: { status: string } }).ok.status),
      [
        'redeemed',
        'redeemed',
        'Conflict',
        'NotFound',
        'InvalidInput',
        'released',
        'released',
        'NotFound',
        'InvalidState',
      ],
    );
    assert.deepEqual(
      [codeOf(inProcess[2]), codeOf(inProcess[3]), codeOf(inProcess[7]), codeOf(inProcess[8])],
      ['discount_exhausted', 'discount_not_found', 'redemption_not_found', 'redemption_released'],
    );
  });
});
