import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { CHECKOUT_STEPS, type CheckoutStep, type OrdersApi } from '../src/index.js';
import {
  buildCheckoutShop,
  checkoutOutcome,
  cardToken,
  cartStaff,
  cartWith,
  checkout,
  countRows,
  createProduct,
  rowsOf,
  setUpShipping,
  stockOf,
  storePrefix,
  unique,
} from './support.js';

/** Steps after which the money is taken or about to be: recovery finishes these checkouts. */
const FINISHED_AFTER: readonly CheckoutStep[] = [
  'order_created',
  'payment_captured',
  'stock_committed',
  'cart_completed',
];

describeEachBackend('checkout crash recovery', (backend) => {
  /** The process that dies: its checkouts stop after `crashAt`, as if killed there. */
  let dying: ShopApp;
  /** The same store started again after the crash. */
  let restarted: ShopApp;
  let crashAt: CheckoutStep | undefined;
  let methodId: string;
  let discountCode: string;
  let discountId: string;

  before(async () => {
    const schemaPrefix = storePrefix();
    dying = await buildCheckoutShop(backend, {
      schemaPrefix,
      orders: {
        afterStep: (step) => {
          if (step === crashAt) throw new Error(`killed after ${step}`);
        },
      },
    });
    restarted = await buildCheckoutShop(backend, { schemaPrefix });
    methodId = (await setUpShipping(dying)).standard;
    discountCode = unique('CRASH')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '');
    const created = await dying.app.inject({
      method: 'POST',
      url: '/api/cart/admin/discounts',
      headers: cartStaff,
      payload: { code: discountCode, kind: 'fixed', value: 100 },
    });
    assert.equal(created.statusCode, 201, created.body);
    discountId = (created.json() as { id: string }).id;
  });

  async function usesOfCode(): Promise<number> {
    const res = await restarted.app.inject({
      method: 'GET',
      url: `/api/cart/admin/discounts/${discountId}`,
      headers: cartStaff,
    });
    return (res.json() as { used: number }).used;
  }

  for (const step of CHECKOUT_STEPS) {
    test(`killed after ${step}: the restarted store's recovery leaves ${FINISHED_AFTER.includes(step) ? 'a paid order with committed stock and one capture' : 'no order, no reservation, no open authorization'}`, async () => {
      const sku = unique(`CRASH-${step}`);
      await createProduct(dying, [{ sku, price: 2000, onHand: 5 }]);
      const cart = await cartWith(dying, [{ sku, quantity: 2 }]);
      const apply = await dying.app.inject({
        method: 'POST',
        url: `/api/cart/${cart.id}/discount`,
        headers: { 'x-cart-token': cart.token! },
        payload: { code: discountCode },
      });
      assert.equal(apply.statusCode, 200, apply.body);
      const usesBefore = await usesOfCode();

      crashAt = step;
      const res = await checkout(dying, cart, { methodId, token: await cardToken(dying) });
      crashAt = undefined;
      assert.equal(res.statusCode, 500, `the checkout died after ${step}: ${res.body}`);
      const [stuck] = await rowsOf<{ id: string; status: string; step: string }>(
        restarted,
        'orders',
        'checkouts',
        sql`cart_id = ${cart.id}`,
      );
      assert.equal(stuck?.status, 'running', 'the dead checkout is left running');

      const outcome = await (restarted.apis.get('orders') as OrdersApi).recovery.run({ ageSeconds: 0 });
      const finished = FINISHED_AFTER.includes(step);
      assert.deepEqual([outcome.finished, outcome.undone, outcome.pending], finished ? [1, 0, 0] : [0, 1, 0]);

      const { checkoutStatus, orderStatuses, intentStatuses, captures, stock } = await checkoutOutcome(
        restarted,
        stuck!.id,
        sku,
      );
      if (finished) {
        assert.equal(checkoutStatus, 'completed');
        assert.deepEqual(orderStatuses, ['paid']);
        assert.deepEqual([stock.onHand, stock.reserved, stock.available], [3, 0, 3]);
        assert.deepEqual(intentStatuses, ['captured']);
        assert.equal(captures, 1);
        assert.equal(await usesOfCode(), usesBefore + 1);
        const cartNow = await restarted.app.inject({
          method: 'GET',
          url: `/api/cart/${cart.id}`,
          headers: { 'x-cart-token': cart.token! },
        });
        assert.equal((cartNow.json() as { status: string }).status, 'completed');
      } else {
        assert.equal(checkoutStatus, 'failed');
        assert.ok(orderStatuses.every((status) => status === 'cancelled'));
        assert.deepEqual([stock.onHand, stock.reserved, stock.available], [5, 0, 5]);
        assert.ok(intentStatuses.every((status) => status !== 'authorized' && status !== 'captured'));
        assert.equal(await usesOfCode(), usesBefore);
        assert.equal(
          await countRows(
            restarted,
            'catalogue',
            'reservations',
            sql`order_ref = ${stuck!.id} and status = 'reserved'`,
          ),
          0,
        );
      }
      // Running recovery again changes nothing.
      const again = await (restarted.apis.get('orders') as OrdersApi).recovery.run({ ageSeconds: 0 });
      assert.deepEqual(again, { finished: 0, undone: 0, pending: 0, settled: 0 });
    });
  }

  test('a recent checkout is left alone: only those older than the configured age are recovered', async () => {
    const sku = unique('CRASH-young');
    await createProduct(dying, [{ sku, price: 2000, onHand: 5 }]);
    const cart = await cartWith(dying, [{ sku, quantity: 1 }]);
    crashAt = 'stock_reserved';
    const res = await checkout(dying, cart, { methodId, token: await cardToken(dying) });
    crashAt = undefined;
    assert.equal(res.statusCode, 500);
    const api = restarted.apis.get('orders') as OrdersApi;
    assert.equal((await api.recovery.run({ ageSeconds: 3600 })).undone, 0);
    assert.equal((await stockOf(restarted, sku)).reserved, 1);
    assert.equal((await api.recovery.run({ ageSeconds: 0 })).undone, 1);
    assert.equal((await stockOf(restarted, sku)).reserved, 0);
  });
});
