import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import type { CartApi } from '../src/api.js';
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
} from './support.js';

const codeOf = (res: { json(): unknown }) => (res.json() as { code: string }).code;
const hour = 3600_000;

describeEachBackend('discount codes', (backend) => {
  let shop: ShopApp;
  let api: CartApi;
  /** The orders service, calling in process as checkout will. */
  let orders: () => RequestContext;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService, fakeShippingService, cartService] });
    api = shop.apis.get('cart') as CartApi;
    orders = () => serviceContext(shop.config.store, shop.logger, 'orders');
  });

  async function usedOf(id: string): Promise<number> {
    const res = await cartRequest(shop, 'GET', `/admin/discounts/${id}`, { headers: cartStaff });
    return (res.json() as { used: number }).used;
  }

  /** Settles each call into 'ok' or its problem code. */
  async function settle(calls: Array<Promise<unknown>>): Promise<string[]> {
    const outcomes = await Promise.allSettled(calls);
    return outcomes.map((o) =>
      o.status === 'fulfilled' ? 'ok' : String((o.reason as { details?: { code?: string } }).details?.code),
    );
  }
  const count = (outcomes: string[], what: string) => outcomes.filter((o) => o === what).length;

  test('a code is checked as it is applied: unknown 404, not started or expired 422, under its minimum 422, used up 409', async () => {
    const product = await createProduct(shop, [{ sku: unique('DISC'), price: 2000 }]);
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
      productId: product.id,
      sku: product.variants[0]!.sku,
      quantity: 1,
    });
    const now = Date.now();
    const codes = {
      later: await createDiscount(shop, {
        code: unique('LATER'),
        kind: 'fixed',
        value: 100,
        startsAt: new Date(now + hour).toISOString(),
      }),
      over: await createDiscount(shop, {
        code: unique('OVER'),
        kind: 'fixed',
        value: 100,
        endsAt: new Date(now - hour).toISOString(),
      }),
      big: await createDiscount(shop, {
        code: unique('BIG'),
        kind: 'fixed',
        value: 100,
        minimumSubtotal: 2001,
      }),
      gone: await createDiscount(shop, { code: unique('GONE'), kind: 'fixed', value: 100, usageLimit: 1 }),
      off: await createDiscount(shop, { code: unique('OFF'), kind: 'fixed', value: 100 }),
    };
    await api.discounts.redeem(orders(), { code: codes.gone.code, orderRef: unique('order') });
    await cartRequest(
      shop,
      'PATCH',
      `/admin/discounts/${codes.off.id}`,
      { headers: cartStaff },
      { active: false },
    );
    const expectations: Array<[string, number, string]> = [
      ['NO-SUCH-CODE', 404, 'discount_not_found'],
      [codes.later.code, 422, 'discount_not_started'],
      [codes.over.code, 422, 'discount_expired'],
      [codes.big.code, 422, 'discount_minimum_not_met'],
      [codes.gone.code, 409, 'discount_exhausted'],
      [codes.off.code, 404, 'discount_not_found'],
    ];
    for (const [code, status, problem] of expectations) {
      const res = await cartRequest(shop, 'POST', `/${cart.id}/discount`, caller, { code });
      assert.deepEqual([res.statusCode, codeOf(res)], [status, problem], res.body);
    }
    const unchanged = (await cartRequest(shop, 'GET', `/${cart.id}`, caller)).json() as Cart;
    assert.equal(unchanged.discount, null);
    // Case does not matter; removing the code gives the full price back.
    const applied = await cartRequest(shop, 'POST', `/${cart.id}/discount`, caller, {
      code: codes.big.code.toLowerCase(),
    });
    assert.equal(codeOf(applied), 'discount_minimum_not_met');
    const fixed = await createDiscount(shop, { code: unique('FIXED'), kind: 'fixed', value: 250 });
    const ok = (
      await cartRequest(shop, 'POST', `/${cart.id}/discount`, caller, { code: fixed.code.toLowerCase() })
    ).json() as Cart;
    assert.deepEqual([ok.discount?.code, ok.totals.discount, ok.totals.total], [fixed.code, 250, 1750]);
    const removed = (await cartRequest(shop, 'DELETE', `/${cart.id}/discount`, caller)).json() as Cart;
    assert.deepEqual([removed.discount, removed.totals.total], [null, 2000]);
  });

  test('a code that stops applying after it was applied shows as not applicable, with a notice', async () => {
    const product = await createProduct(shop, [{ sku: unique('LAPSE'), price: 1500 }]);
    const code = await createDiscount(shop, {
      code: unique('LAPSE'),
      kind: 'percentage',
      value: 2000,
      minimumSubtotal: 2000,
    });
    const cart = await guestCart(shop);
    const caller = { token: cart.token };
    const added = (
      await cartRequest(shop, 'POST', `/${cart.id}/lines`, caller, {
        productId: product.id,
        sku: product.variants[0]!.sku,
        quantity: 2,
      })
    ).json() as Cart;
    const applied = (
      await cartRequest(shop, 'POST', `/${cart.id}/discount`, caller, { code: code.code })
    ).json() as Cart;
    assert.deepEqual([applied.totals.discount, applied.totals.total], [600, 2400]);
    const fewer = (
      await cartRequest(shop, 'PATCH', `/${cart.id}/lines/${added.lines[0]!.id}`, caller, { quantity: 1 })
    ).json() as Cart;
    assert.deepEqual(
      [
        fewer.discount?.applicable,
        fewer.totals.discount,
        fewer.totals.total,
        fewer.notices.map((n) => n.code),
      ],
      [false, 0, 1500, ['discount_minimum_not_met']],
    );
  });

  test('200 concurrent redemptions of a code with 5 uses left: exactly 5 succeed, the rest are discount_exhausted', async () => {
    const code = await createDiscount(shop, {
      code: unique('RACE'),
      kind: 'percentage',
      value: 1000,
      usageLimit: 7,
    });
    for (let i = 0; i < 2; i++)
      await api.discounts.redeem(orders(), { code: code.code, orderRef: unique('early') });
    const refs = Array.from({ length: 200 }, () => unique('race'));
    const outcomes = await settle(
      refs.map((orderRef) => api.discounts.redeem(orders(), { code: code.code, orderRef })),
    );
    assert.deepEqual([count(outcomes, 'ok'), count(outcomes, 'discount_exhausted')], [5, 195]);
    assert.equal(await usedOf(code.id), 7);

    // Releasing one use lets exactly one more through; releasing it again gives nothing more back.
    const winner = refs[outcomes.indexOf('ok')]!;
    const released = await api.discounts.release(orders(), winner);
    assert.equal(released.status, 'released');
    await api.discounts.release(orders(), winner);
    assert.equal(await usedOf(code.id), 6);
    const second = await settle(
      Array.from({ length: 50 }, () =>
        api.discounts.redeem(orders(), { code: code.code, orderRef: unique('again') }),
      ),
    );
    assert.deepEqual([count(second, 'ok'), count(second, 'discount_exhausted')], [1, 49]);
    assert.equal(await usedOf(code.id), 7);

    const events = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${shop.database.schemaFor('cart')}.outbox`)}
      where type = 'DiscountRedeemed' and data->>'code' = ${code.code}`.execute(shop.database.db);
    assert.equal(events.rows[0]!.n, 8);
  });

  test('the same orderRef redeemed many times at once counts once and answers the same redemption', async () => {
    const code = await createDiscount(shop, {
      code: unique('ONCE'),
      kind: 'fixed',
      value: 100,
      usageLimit: 100,
    });
    const orderRef = unique('same');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.discounts.redeem(orders(), { code: code.code, orderRef, customerId: 'c-1' }),
      ),
    );
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(new Set(results.map((r) => JSON.stringify(r.redemption))).size, 1);
    assert.equal(await usedOf(code.id), 1);
    const repeat = await cartRequest(
      shop,
      'POST',
      '/discount-redemptions',
      { headers: cartStaff },
      { code: code.code, orderRef, customerId: 'c-1' },
    );
    assert.equal(repeat.statusCode, 200, repeat.body);
    const other = await cartRequest(
      shop,
      'POST',
      '/discount-redemptions',
      { headers: cartStaff },
      { code: code.code, orderRef, customerId: 'c-2' },
    );
    assert.deepEqual([other.statusCode, codeOf(other)], [409, 'redemption_differs']);
    await api.discounts.release(orders(), orderRef);
    const afterRelease = await cartRequest(
      shop,
      'POST',
      '/discount-redemptions',
      { headers: cartStaff },
      { code: code.code, orderRef, customerId: 'c-1' },
    );
    assert.deepEqual([afterRelease.statusCode, codeOf(afterRelease)], [409, 'redemption_released']);
    const unknown = await cartRequest(shop, 'POST', '/discount-redemptions/no-such-order/release', {
      headers: cartStaff,
    });
    assert.deepEqual([unknown.statusCode, codeOf(unknown)], [404, 'redemption_not_found']);
    assert.equal(await usedOf(code.id), 0);
  });

  test('the per-customer limit holds under a race: 2 uses per customer out of 40 concurrent redemptions', async () => {
    const code = await createDiscount(shop, {
      code: unique('PERCUST'),
      kind: 'fixed',
      value: 100,
      perCustomerLimit: 2,
    });
    const customerId = unique('greedy');
    const outcomes = await settle(
      Array.from({ length: 40 }, () =>
        api.discounts.redeem(orders(), { code: code.code, orderRef: unique('pc'), customerId }),
      ),
    );
    assert.deepEqual([count(outcomes, 'ok'), count(outcomes, 'discount_customer_limit')], [2, 38]);
    assert.equal(await usedOf(code.id), 2);
    // Another customer is not held back; the limited one cannot apply the code to their cart any more.
    await api.discounts.redeem(orders(), {
      code: code.code,
      orderRef: unique('pc'),
      customerId: 'someone-else',
    });
    const headers = await customerHeaders(customerId);
    const cart = (await cartRequest(shop, 'POST', '', { headers })).json() as Cart;
    const applied = await cartRequest(shop, 'POST', `/${cart.id}/discount`, { headers }, { code: code.code });
    assert.deepEqual([applied.statusCode, codeOf(applied)], [409, 'discount_customer_limit']);
  });

  test('staff manage codes: a taken code is refused, a limit under the uses taken is refused', async () => {
    const code = await createDiscount(shop, {
      code: unique('ADMIN'),
      kind: 'percentage',
      value: 500,
      usageLimit: 3,
    });
    const twice = await cartRequest(
      shop,
      'POST',
      '/admin/discounts',
      { headers: cartStaff },
      { code: code.code.toLowerCase(), kind: 'fixed', value: 1 },
    );
    assert.deepEqual([twice.statusCode, codeOf(twice)], [409, 'discount_code_taken']);
    const tooMuch = await cartRequest(
      shop,
      'POST',
      '/admin/discounts',
      { headers: cartStaff },
      { code: unique('PCT'), kind: 'percentage', value: 10001 },
    );
    assert.deepEqual([tooMuch.statusCode, codeOf(tooMuch)], [422, 'discount_value_invalid']);
    for (let i = 0; i < 2; i++)
      await api.discounts.redeem(orders(), { code: code.code, orderRef: unique('adm') });
    const lower = await cartRequest(
      shop,
      'PATCH',
      `/admin/discounts/${code.id}`,
      { headers: cartStaff },
      { usageLimit: 1 },
    );
    assert.deepEqual([lower.statusCode, codeOf(lower)], [409, 'discount_limit_below_used']);
    const ok = await cartRequest(
      shop,
      'PATCH',
      `/admin/discounts/${code.id}`,
      { headers: cartStaff },
      { usageLimit: 2 },
    );
    assert.deepEqual([ok.statusCode, (ok.json() as { usageLimit: number }).usageLimit], [200, 2]);
    const window = await cartRequest(
      shop,
      'PATCH',
      `/admin/discounts/${code.id}`,
      { headers: cartStaff },
      {
        startsAt: '2030-01-02T00:00:00Z',
        endsAt: '2030-01-01T00:00:00Z',
      },
    );
    assert.deepEqual([window.statusCode, codeOf(window)], [422, 'discount_window_invalid']);
  });
});
