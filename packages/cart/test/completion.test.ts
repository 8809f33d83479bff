import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { serviceContext, type Actor, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { actAs, describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import type { CartClient } from '../src/client.js';
import { cartService } from '../src/index.js';
import type { Cart } from '../src/schemas/cart.js';
import {
  cartRequest,
  cartStaff,
  createDiscount,
  createProduct,
  customerHeaders,
  fakeShippingService,
  guestCart,
  unique,
  type TestProduct,
} from './support.js';

const codeOf = (res: { json(): unknown }) => (res.json() as { code: string }).code;

describeEachBackend('completing a cart', (backend) => {
  let shop: ShopApp;
  let client: CartClient;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService, fakeShippingService, cartService] });
    client = shop.services.clients.get('cart');
  });

  /** The orders service passing a shopper's checkout on, in process. */
  const ordersFor = (actor: Actor): RequestContext => ({
    ...serviceContext(shop.config.store, shop.logger, 'orders'),
    actor,
    caller: 'orders',
  });
  /** Bearer headers of the orders service passing on a shopper's call over HTTP. */
  const ordersHeaders = async (actor: Actor) => ({
    authorization: `Bearer ${await actAs(actor, 'cart', { caller: 'orders' })}`,
  });

  const line = (product: TestProduct, quantity: number) => ({
    productId: product.id,
    sku: product.variants[0]!.sku,
    quantity,
  });

  /** A guest cart holding two units of a new product; its line id too. */
  async function filledGuestCart() {
    const product = await createProduct(shop, [{ sku: unique('DONE'), price: 1500, weightGrams: 100 }]);
    const cart = await guestCart(shop);
    const added = await cartRequest(
      shop,
      'POST',
      `/${cart.id}/lines`,
      { token: cart.token },
      line(product, 2),
    );
    assert.equal(added.statusCode, 200, added.body);
    return { ...cart, product, lineId: (added.json() as Cart).lines[0]!.id };
  }

  const complete = (
    cartId: string,
    orderRef: string,
    caller: { token?: string; headers?: Record<string, string> },
  ) => cartRequest(shop, 'POST', `/${cartId}/complete`, caller, { orderRef });

  test('a completed cart reads with status completed and refuses every change with 409 cart_completed', async () => {
    const cart = await filledGuestCart();
    const owner = { token: cart.token };
    const code = await createDiscount(shop, { code: unique('DONE'), kind: 'fixed', value: 100 });
    const orderRef = unique('order');
    const done = await complete(cart.id, orderRef, { headers: cartStaff });
    assert.equal(done.statusCode, 200, done.body);
    const completed = done.json() as Cart;
    assert.deepEqual(
      [completed.status, completed.itemCount, completed.totals.subtotal],
      ['completed', 2, 3000],
    );
    const read = await cartRequest(shop, 'GET', `/${cart.id}`, owner);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal((read.json() as Cart).status, 'completed');
    assert.equal((await cartRequest(shop, 'GET', `/${cart.id}/parcel`, owner)).statusCode, 200);

    const customer = await customerHeaders(unique('cust-late'));
    for (const [method, url, payload, caller] of [
      ['POST', `/${cart.id}/lines`, line(cart.product, 1), owner],
      ['PATCH', `/${cart.id}/lines/${cart.lineId}`, { quantity: 1 }, owner],
      ['DELETE', `/${cart.id}/lines/${cart.lineId}`, undefined, owner],
      ['POST', `/${cart.id}/discount`, { code: code.code }, owner],
      ['DELETE', `/${cart.id}/discount`, undefined, owner],
      ['PUT', `/${cart.id}/shipping`, { country: 'DE', methodCode: 'standard' }, owner],
      ['POST', `/${cart.id}/merge`, undefined, { ...owner, headers: customer }],
    ] as const) {
      const res = await cartRequest(shop, method, url, caller, payload);
      assert.deepEqual(
        [res.statusCode, codeOf(res)],
        [409, 'cart_completed'],
        `${method} ${url}: ${res.body}`,
      );
    }
    assert.deepEqual((await cartRequest(shop, 'GET', `/${cart.id}`, owner)).json(), read.json());
    // Whose cart it is stays undisclosed: a stranger is told there is no such cart, completed or not.
    const stranger = await cartRequest(shop, 'GET', `/${cart.id}`);
    assert.deepEqual([stranger.statusCode, codeOf(stranger)], [404, 'cart_not_found']);
    const strangerChange = await cartRequest(shop, 'POST', `/${cart.id}/lines`, {}, line(cart.product, 1));
    assert.equal(codeOf(strangerChange), 'cart_not_found');
  });

  test('completing again with the same orderRef answers the cart; another orderRef, a merged or an expired cart is 409 cart_not_active', async () => {
    const cart = await filledGuestCart();
    const orderRef = unique('order');
    const first = await complete(cart.id, orderRef, { headers: cartStaff });
    assert.equal(first.statusCode, 200, first.body);
    const again = await complete(cart.id, orderRef, { headers: cartStaff });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json(), first.json());
    const other = await complete(cart.id, unique('order'), { headers: cartStaff });
    assert.deepEqual([other.statusCode, codeOf(other)], [409, 'cart_not_active']);
    assert.equal((other.json() as { cartStatus: string }).cartStatus, 'completed');

    // The order reference names one cart: another cart cannot be completed as it.
    const second = await filledGuestCart();
    const taken = await complete(second.id, orderRef, { headers: cartStaff });
    assert.deepEqual([taken.statusCode, codeOf(taken)], [409, 'order_ref_taken']);
    assert.equal(
      (await cartRequest(shop, 'GET', `/${second.id}`, { token: second.token })).json().status,
      'active',
    );

    const merged = await filledGuestCart();
    const customer = await customerHeaders(unique('cust-merge'));
    await cartRequest(shop, 'POST', '', { headers: customer });
    const merge = await cartRequest(shop, 'POST', `/${merged.id}/merge`, {
      token: merged.token,
      headers: customer,
    });
    assert.equal(merge.statusCode, 200, merge.body);
    const afterMerge = await complete(merged.id, unique('order'), { headers: cartStaff });
    assert.deepEqual(
      [afterMerge.statusCode, codeOf(afterMerge), (afterMerge.json() as { cartStatus: string }).cartStatus],
      [409, 'cart_not_active', 'merged'],
    );

    const idle = await filledGuestCart();
    const carts = sql.table(`${shop.database.schemaFor('cart')}.carts`);
    await sql`update ${carts} set updated_at = now() - interval '31 days' where id = ${idle.id}`.execute(
      shop.database.db,
    );
    const expired = await complete(idle.id, unique('order'), { headers: cartStaff });
    assert.deepEqual(
      [expired.statusCode, codeOf(expired), (expired.json() as { cartStatus: string }).cartStatus],
      [409, 'cart_not_active', 'expired'],
    );
  });

  test('only staff and the orders service complete a cart: a customer gets 403, an anonymous caller 401, and the cart stays active', async () => {
    const cart = await filledGuestCart();
    const customerId = unique('cust-self');
    const customer = await customerHeaders(customerId);
    const own = (await cartRequest(shop, 'POST', '', { headers: customer })).json() as Cart;
    for (const [cartId, caller] of [
      [own.id, { headers: customer }],
      [cart.id, { token: cart.token, headers: customer }],
    ] as const) {
      const res = await complete(cartId, unique('order'), caller);
      assert.equal(res.statusCode, 403, res.body);
    }
    for (const caller of [{ token: cart.token }, {}]) {
      const res = await complete(cart.id, unique('order'), caller);
      assert.deepEqual([res.statusCode, codeOf(res)], [401, 'authentication_required'], res.body);
    }
    assert.equal(
      (await cartRequest(shop, 'GET', `/${cart.id}`, { token: cart.token })).json().status,
      'active',
    );
    assert.equal(
      (await cartRequest(shop, 'GET', `/${own.id}`, { headers: customer })).json().status,
      'active',
    );
    await assert.rejects(
      client.completeCart({ ...ordersFor({ kind: 'customer', id: customerId }), caller: undefined }, own.id, {
        orderRef: unique('order'),
      }),
      { name: 'Forbidden' },
    );
  });

  test("the orders service completes a shopper's cart only with the shopper's proof: a guest's token, a customer's own cart", async () => {
    const guest = await filledGuestCart();
    const anonymous = await ordersHeaders({ kind: 'anonymous' });
    const noToken = await complete(guest.id, unique('order'), { headers: anonymous });
    assert.deepEqual([noToken.statusCode, codeOf(noToken)], [404, 'cart_not_found']);
    const withToken = await complete(guest.id, unique('order'), { headers: anonymous, token: guest.token });
    assert.equal(withToken.statusCode, 200, withToken.body);
    assert.equal((withToken.json() as Cart).status, 'completed');

    const customerId = unique('cust-checkout');
    const mine = (
      await cartRequest(shop, 'POST', '', { headers: await customerHeaders(customerId) })
    ).json() as Cart;
    const otherCustomer = await ordersHeaders({ kind: 'customer', id: unique('cust-other') });
    const refused = await complete(mine.id, unique('order'), { headers: otherCustomer });
    assert.deepEqual([refused.statusCode, codeOf(refused)], [404, 'cart_not_found']);
    const completed = await client.completeCart(ordersFor({ kind: 'customer', id: customerId }), mine.id, {
      orderRef: unique('order'),
    });
    assert.equal(completed.status, 'completed');
    // Acting on its own behalf (recovering a checkout, say), the orders service needs no shopper's proof.
    const later = await filledGuestCart();
    const recovered = await client.completeCart(
      serviceContext(shop.config.store, shop.logger, 'orders'),
      later.id,
      { orderRef: unique('order') },
    );
    assert.equal(recovered.status, 'completed');
  });

  test("a customer's completed cart is no longer their cart: opening a cart gives a new, empty one", async () => {
    const product = await createProduct(shop, [{ sku: unique('NEXT'), price: 800 }]);
    const customerId = unique('cust-next');
    const customer = await customerHeaders(customerId);
    const first = (await cartRequest(shop, 'POST', '', { headers: customer })).json() as Cart;
    await cartRequest(shop, 'POST', `/${first.id}/lines`, { headers: customer }, line(product, 1));
    await client.completeCart(ordersFor({ kind: 'customer', id: customerId }), first.id, {
      orderRef: unique('order'),
    });
    const next = await cartRequest(shop, 'POST', '', { headers: customer });
    assert.equal(next.statusCode, 201, next.body);
    assert.notEqual((next.json() as Cart).id, first.id);
    assert.deepEqual((next.json() as Cart).lines, []);
    assert.equal(
      (await cartRequest(shop, 'GET', `/${first.id}`, { headers: customer })).json().status,
      'completed',
    );
  });

  test('completions and changes racing: one orderRef wins, and a change either lands before the completion or is refused', async () => {
    const more = await createProduct(shop, [{ sku: unique('RACE'), price: 300 }]);
    for (let round = 0; round < 10; round++) {
      const cart = await filledGuestCart();
      const [a, b] = [unique('order-a'), unique('order-b')];
      const [doneA, doneB, added] = await Promise.all([
        complete(cart.id, a, { headers: cartStaff }),
        complete(cart.id, b, { headers: cartStaff }),
        cartRequest(shop, 'POST', `/${cart.id}/lines`, { token: cart.token }, line(more, 1)),
      ]);
      const statuses = [doneA.statusCode, doneB.statusCode].sort();
      assert.deepEqual(statuses, [200, 409], `${doneA.body} ${doneB.body}`);
      const loser = doneA.statusCode === 409 ? doneA : doneB;
      assert.equal(codeOf(loser), 'cart_not_active');
      assert.ok(added.statusCode === 200 || added.statusCode === 409, added.body);
      if (added.statusCode === 409) assert.equal(codeOf(added), 'cart_completed');
      const final = (await cartRequest(shop, 'GET', `/${cart.id}`, { token: cart.token })).json() as Cart;
      assert.equal(final.status, 'completed');
      assert.equal(final.lines.length, added.statusCode === 200 ? 2 : 1, 'a change is never lost silently');
    }
  });

  test("selectShipping through the client prices the cart's shipping, for a guest by its token and a customer by the actor", async () => {
    const guest = await filledGuestCart();
    const priced = await client.selectShipping(
      ordersFor({ kind: 'anonymous' }),
      guest.id,
      { country: 'DE', methodCode: 'express' },
      guest.token,
    );
    assert.deepEqual(
      [priced.shipping?.methodCode, priced.shipping?.price, priced.totals.shipping, priced.totals.total],
      ['express', 990, 990, 3990],
    );
    await assert.rejects(
      client.selectShipping(ordersFor({ kind: 'anonymous' }), guest.id, {
        country: 'DE',
        methodCode: 'express',
      }),
      (err: { details?: { code?: string } }) => err.details?.code === 'cart_not_found',
    );
    await assert.rejects(
      client.selectShipping(
        ordersFor({ kind: 'anonymous' }),
        guest.id,
        { country: 'JP', methodCode: 'express' },
        guest.token,
      ),
      (err: { details?: { code?: string } }) => err.details?.code === 'shipping_destination_unsupported',
    );

    const product = await createProduct(shop, [{ sku: unique('SHIP'), price: 6000 }]);
    const customerId = unique('cust-ship');
    const headers = await customerHeaders(customerId);
    const mine = (await cartRequest(shop, 'POST', '', { headers })).json() as Cart;
    await cartRequest(shop, 'POST', `/${mine.id}/lines`, { headers }, line(product, 1));
    const customerCart = await client.selectShipping(
      ordersFor({ kind: 'customer', id: customerId }),
      mine.id,
      {
        country: 'AT',
        methodCode: 'standard',
      },
    );
    // Over the 50.00 threshold: standard shipping is free.
    assert.deepEqual(
      [customerCart.shipping?.country, customerCart.shipping?.free, customerCart.totals.shipping],
      ['AT', true, 0],
    );
    await assert.rejects(
      client.selectShipping(ordersFor({ kind: 'customer', id: 'c-stranger' }), mine.id, {
        country: 'AT',
        methodCode: 'standard',
      }),
      (err: { details?: { code?: string } }) => err.details?.code === 'cart_not_found',
    );
  });
});
