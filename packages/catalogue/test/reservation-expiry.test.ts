import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { InvalidState, serviceContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { catalogueApi, contextOf, createProduct, staffHeaders, stockOf, unique } from './staff.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for a reservation held 1 second to be past its hold, with room for clock granularity. */
const PAST_ONE_SECOND = 1300;

describeEachBackend('catalogue reservations that expire', (backend) => {
  let shop: ShopApp;
  before(async () => {
    // No sweep of the app's own runs during these tests: each counts what its releaseExpired call did.
    shop = await backend.buildApp({
      services: [catalogueService],
      config: { catalogue: { reservationSweepSeconds: 3600 } },
    });
  });

  const stock = () => catalogueApi(shop).stock;
  const ctx = () => contextOf(shop);

  async function product(onHand: number[]): Promise<{ slug: string; skus: string[] }> {
    const skus = onHand.map(() => unique('EXP'));
    const created = await createProduct(shop, {
      name: unique('Held product'),
      variants: onHand.map((units, i) => ({ sku: skus[i]!, onHand: units })),
    });
    return { slug: created.slug, skus };
  }

  async function shownAvailable(slug: string): Promise<number | undefined> {
    const res = await shop.app.inject({ url: `/api/catalogue/products/${slug}` });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { variants: Array<{ stock: { available?: number } }> }).variants[0]!.stock
      .available;
  }

  test('a reservation past its hold is released by releaseExpired: its units are available again and its status is released', async () => {
    const { slug, skus } = await product([10]);
    const sku = skus[0]!;
    const [expiring, lasting, committedEarly, committedLate] = ['a', 'b', 'c', 'd'].map((s) =>
      unique(`hold-${s}`),
    );
    await stock().reserve(ctx(), { orderRef: expiring!, lines: [{ sku, quantity: 2 }], holdSeconds: 1 });
    await stock().reserve(ctx(), { orderRef: lasting!, lines: [{ sku, quantity: 3 }] });
    await stock().reserve(ctx(), {
      orderRef: committedEarly!,
      lines: [{ sku, quantity: 1 }],
      holdSeconds: 1,
    });
    await stock().reserve(ctx(), { orderRef: committedLate!, lines: [{ sku, quantity: 1 }], holdSeconds: 1 });
    await stock().commit(ctx(), committedEarly!);
    assert.deepEqual(await stockOf(shop, sku), { onHand: 9, reserved: 6, available: 3 });
    assert.equal(await stock().releaseExpired(ctx()), 0, 'nothing is past its hold yet');

    await pause(PAST_ONE_SECOND);
    // Past its hold but not swept yet: a checkout that got this far still completes its sale.
    assert.equal((await stock().commit(ctx(), committedLate!)).status, 'committed');
    assert.deepEqual(await stockOf(shop, sku), { onHand: 8, reserved: 5, available: 3 });

    assert.equal(await stock().releaseExpired(ctx()), 1);
    assert.deepEqual(await stockOf(shop, sku), { onHand: 8, reserved: 3, available: 5 });
    assert.deepEqual(await stock().getReservation(ctx(), expiring!), {
      orderRef: expiring,
      status: 'released',
      lines: [{ sku, quantity: 2 }],
    });
    assert.equal((await stock().getReservation(ctx(), lasting!)).status, 'reserved');
    assert.equal((await stock().getReservation(ctx(), committedEarly!)).status, 'committed');
    assert.equal((await stock().getReservation(ctx(), committedLate!)).status, 'committed');
    // Shoppers see the units again at once, as after any release.
    assert.equal(await shownAvailable(slug), 5);

    assert.equal(await stock().releaseExpired(ctx()), 0, 'a released reservation is not released twice');
    assert.deepEqual(await stockOf(shop, sku), { onHand: 8, reserved: 3, available: 5 });
    // Once released by expiry, it ends like any released reservation.
    await assert.rejects(
      stock().commit(ctx(), expiring!),
      (err: unknown) => err instanceof InvalidState && err.details.code === 'reservation_released',
    );
    await assert.rejects(
      stock().reserve(ctx(), { orderRef: expiring!, lines: [{ sku, quantity: 2 }] }),
      (err: unknown) => err instanceof InvalidState && err.details.code === 'reservation_released',
    );
    assert.deepEqual(await stockOf(shop, sku), { onHand: 8, reserved: 3, available: 5 });
  });

  test('releaseExpired releases at most its limit; the next call takes the rest', async () => {
    const { skus } = await product([10]);
    const sku = skus[0]!;
    for (let i = 0; i < 5; i++) {
      await stock().reserve(ctx(), {
        orderRef: unique('limit'),
        lines: [{ sku, quantity: 1 }],
        holdSeconds: 1,
      });
    }
    await pause(PAST_ONE_SECOND);
    assert.equal(await stock().releaseExpired(ctx(), 3), 3);
    assert.equal((await stockOf(shop, sku)).reserved, 2);
    assert.equal(await stock().releaseExpired(ctx(), 3), 2);
    assert.deepEqual(await stockOf(shop, sku), { onHand: 10, reserved: 0, available: 10 });
  });

  test('holdSeconds over HTTP: 1 to 86400 are taken, anything else is a 400 naming the field and holds nothing', async () => {
    const { skus } = await product([5]);
    const sku = skus[0]!;
    for (const holdSeconds of [0, 86_401, 1.5, '60']) {
      const res = await shop.app.inject({
        method: 'POST',
        url: '/api/catalogue/reservations',
        headers: staffHeaders,
        payload: { orderRef: unique('bad-hold'), lines: [{ sku, quantity: 1 }], holdSeconds },
      });
      assert.equal(res.statusCode, 400, `${JSON.stringify(holdSeconds)}: ${res.body}`);
      assert.match(res.body, /holdSeconds/);
    }
    assert.deepEqual(await stockOf(shop, sku), { onHand: 5, reserved: 0, available: 5 });
    const held = await shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/reservations',
      headers: staffHeaders,
      payload: { orderRef: unique('day-hold'), lines: [{ sku, quantity: 1 }], holdSeconds: 86_400 },
    });
    assert.equal(held.statusCode, 201, held.body);
  });

  test('only staff and the catalogue itself release expired reservations', async () => {
    const customer = { ...ctx(), actor: { kind: 'customer' as const, id: 'c-1' } };
    await assert.rejects(stock().releaseExpired(customer), { name: 'Forbidden' });
    const orders = serviceContext(shop.config.store, shop.logger, 'orders');
    await assert.rejects(stock().releaseExpired(orders), { name: 'Forbidden' });
    const itself = serviceContext(shop.config.store, shop.logger, 'catalogue');
    assert.equal(typeof (await stock().releaseExpired(itself)), 'number');
  });

  test('sweeps racing each other and checkouts committing: each expired reservation ends once, released or committed, and units return exactly once', async () => {
    const { skus } = await product([100, 200]);
    const [x, y] = skus as [string, string];
    const refs = Array.from({ length: 40 }, (_, i) => unique(`race-${i}`));
    for (const orderRef of refs) {
      await stock().reserve(ctx(), {
        orderRef,
        lines: [
          { sku: y, quantity: 2 },
          { sku: x, quantity: 1 },
        ],
        holdSeconds: 1,
      });
    }
    assert.deepEqual(await stockOf(shop, x), { onHand: 100, reserved: 40, available: 60 });
    await pause(PAST_ONE_SECOND);

    const committing = refs.filter((_, i) => i % 4 === 0);
    const [sweeps, commits] = await Promise.all([
      Promise.all([
        stock().releaseExpired(ctx()),
        stock().releaseExpired(ctx()),
        stock().releaseExpired(ctx()),
      ]),
      Promise.allSettled(committing.map((orderRef) => stock().commit(ctx(), orderRef))),
    ]);
    for (const outcome of commits) {
      if (outcome.status === 'rejected') {
        const err = outcome.reason as InvalidState;
        assert.ok(err instanceof InvalidState && err.details.code === 'reservation_released', String(err));
      }
    }
    const committed = commits.filter((o) => o.status === 'fulfilled').length;
    const released = sweeps.reduce((sum, n) => sum + n, 0);
    assert.equal(released + committed, refs.length, `${released} released, ${committed} committed`);
    const statuses = await Promise.all(
      refs.map(async (ref) => (await stock().getReservation(ctx(), ref)).status),
    );
    assert.equal(statuses.filter((s) => s === 'committed').length, committed);
    assert.equal(statuses.filter((s) => s === 'released').length, released);
    assert.deepEqual(await stockOf(shop, x), {
      onHand: 100 - committed,
      reserved: 0,
      available: 100 - committed,
    });
    assert.deepEqual(await stockOf(shop, y), {
      onHand: 200 - 2 * committed,
      reserved: 0,
      available: 200 - 2 * committed,
    });
  });

  test('the catalogue sweeps by itself every catalogue.reservationSweepSeconds, and counts what expired', async () => {
    const sweeping = await backend.buildApp({
      services: [catalogueService],
      config: { catalogue: { reservationSweepSeconds: 1 } },
    });
    const sku = unique('SWEPT');
    await createProduct(sweeping, { name: unique('Swept product'), variants: [{ sku, onHand: 4 }] });
    const orderRef = unique('swept');
    const api = catalogueApi(sweeping);
    await api.stock.reserve(contextOf(sweeping), { orderRef, lines: [{ sku, quantity: 3 }], holdSeconds: 1 });
    let status = 'reserved';
    for (let waited = 0; status === 'reserved' && waited < 10_000; waited += 200) {
      await pause(200);
      status = (await api.stock.getReservation(contextOf(sweeping), orderRef)).status;
    }
    assert.equal(status, 'released');
    assert.deepEqual(await stockOf(sweeping, sku), { onHand: 4, reserved: 0, available: 4 });
    const metrics = await sweeping.app.inject({ url: '/metrics' });
    assert.match(metrics.body, /^catalogue_reservations_expired_total\{[^}]*\} 1$/m);
  });
});
