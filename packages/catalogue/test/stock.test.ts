import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Conflict, InvalidInput, InvalidState, NotFound, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '../src/index.js';
import { catalogueApi, contextOf, createProduct, staffHeaders, stockOf, unique } from './staff.js';

describeEachBackend('catalogue stock reservations', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService] });
  });

  const stock = () => catalogueApi(shop).stock;
  const ctx = () => contextOf(shop);
  const reserveOverHttp = (payload: unknown, headers: Record<string, string> = staffHeaders) =>
    shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/reservations',
      headers,
      payload: payload as object,
    });

  async function product(variants: Array<{ onHand: number }>): Promise<string[]> {
    const skus = variants.map(() => unique('SKU'));
    await createProduct(shop, {
      name: unique('Stocked product'),
      variants: variants.map((v, i) => ({ sku: skus[i]!, onHand: v.onHand })),
    });
    return skus;
  }

  test('200 concurrent single-unit reservations on 50 units: exactly 50 succeed and stock never goes negative', async () => {
    const [sku] = await product([{ onHand: 50 }]);
    let racing = true;
    const observed: number[] = [];
    const observer = (async () => {
      while (racing) {
        observed.push((await stockOf(shop, sku!)).available);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        stock().reserve(ctx(), { orderRef: `${sku}-order-${i}`, lines: [{ sku: sku!, quantity: 1 }] }),
      ),
    );
    racing = false;
    await observer;

    const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(succeeded.length, 50);
    assert.equal(refused.length, 150);
    for (const r of refused) {
      assert.ok(r.reason instanceof Conflict, `expected Conflict, got ${String(r.reason)}`);
      assert.equal(r.reason.details.sku, sku);
    }
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 50, reserved: 50, available: 0 });
    assert.ok(observed.every((available) => available >= 0 && available <= 50));
  });

  test('concurrent HTTP reservations: 201 for each unit there is, 409 naming the SKU for the rest', async () => {
    const [sku] = await product([{ onHand: 30 }]);
    const responses = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        reserveOverHttp({ orderRef: `${sku}-web-${i}`, lines: [{ sku, quantity: 1 }] }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 201).length, 30);
    assert.equal(statuses.filter((s) => s === 409).length, 50);
    const refusal = responses.find((r) => r.statusCode === 409)!;
    assert.match(refusal.headers['content-type'] as string, /application\/problem\+json/);
    const problem = refusal.json();
    assert.equal(problem.sku, sku);
    assert.equal(problem.requested, 1);
    assert.equal(problem.available, 0);
    assert.match(problem.detail, new RegExp(sku!));
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 30, reserved: 30, available: 0 });
  });

  test('a reservation with one short line fails as a whole and leaves every line untouched', async () => {
    const [a, b, c] = await product([{ onHand: 10 }, { onHand: 10 }, { onHand: 1 }]);
    const orderRef = unique('all-or-nothing');
    await assert.rejects(
      stock().reserve(ctx(), {
        orderRef,
        lines: [
          { sku: a!, quantity: 2 },
          { sku: b!, quantity: 3 },
          { sku: c!, quantity: 5 },
        ],
      }),
      (err: unknown) => {
        assert.ok(err instanceof Conflict);
        assert.deepEqual(err.details.shortages, [{ sku: c, requested: 5, available: 1 }]);
        assert.match(err.message, new RegExp(c!));
        return true;
      },
    );
    for (const sku of [a!, b!])
      assert.deepEqual(await stockOf(shop, sku), { onHand: 10, reserved: 0, available: 10 });
    assert.deepEqual(await stockOf(shop, c!), { onHand: 1, reserved: 0, available: 1 });
    await assert.rejects(stock().getReservation(ctx(), orderRef), NotFound);

    // The failed attempt leaves no trace: the same order can reserve what is there.
    const retry = await stock().reserve(ctx(), { orderRef, lines: [{ sku: c!, quantity: 1 }] });
    assert.equal(retry.status, 'reserved');
    assert.deepEqual(await stockOf(shop, c!), { onHand: 1, reserved: 1, available: 0 });
  });

  test('repeating an orderRef reserves once, even when 20 repeats race; other lines under it are refused', async () => {
    const [sku] = await product([{ onHand: 100 }]);
    const orderRef = unique('repeat');
    const input = { orderRef, lines: [{ sku: sku!, quantity: 3 }] };
    const results = await Promise.all(Array.from({ length: 20 }, () => stock().reserve(ctx(), input)));
    for (const r of results)
      assert.deepEqual(r, { orderRef, status: 'reserved', lines: [{ sku, quantity: 3 }] });
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 100, reserved: 3, available: 97 });

    const again = await reserveOverHttp(input);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), results[0]);
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 100, reserved: 3, available: 97 });

    const different = await reserveOverHttp({ orderRef, lines: [{ sku, quantity: 4 }] });
    assert.equal(different.statusCode, 409);
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 100, reserved: 3, available: 97 });
  });

  test('20 racing HTTP repeats of one new orderRef: one 201, the others 200, units held once', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    const payload = { orderRef: unique('race'), lines: [{ sku, quantity: 2 }] };
    const responses = await Promise.all(Array.from({ length: 20 }, () => reserveOverHttp(payload)));
    const statuses = responses.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [200, ...Array(18).fill(200), 201].sort());
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 10, reserved: 2, available: 8 });
  });

  test('lines of the same SKU are merged into one', async () => {
    const [a, b] = await product([{ onHand: 10 }, { onHand: 10 }]);
    const orderRef = unique('merge');
    const result = await stock().reserve(ctx(), {
      orderRef,
      lines: [
        { sku: b!, quantity: 1 },
        { sku: a!, quantity: 2 },
        { sku: b!, quantity: 3 },
      ],
    });
    assert.deepEqual(result.lines, [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 4 },
    ]);
    assert.equal((await stockOf(shop, b!)).reserved, 4);
    // Merged lines over the available stock are refused even though each line alone would fit.
    await assert.rejects(
      stock().reserve(ctx(), {
        orderRef: unique('merge-short'),
        lines: [
          { sku: a!, quantity: 5 },
          { sku: a!, quantity: 5 },
        ],
      }),
      Conflict,
    );
    assert.equal((await stockOf(shop, a!)).reserved, 2);
  });

  test('release gives the units back; releasing again changes nothing; reserving the released orderRef again is refused with 409', async () => {
    const [sku] = await product([{ onHand: 5 }]);
    const orderRef = unique('release');
    await stock().reserve(ctx(), { orderRef, lines: [{ sku: sku!, quantity: 4 }] });
    assert.equal((await stockOf(shop, sku!)).available, 1);

    const released = await stock().release(ctx(), orderRef);
    assert.deepEqual(released, { orderRef, status: 'released', lines: [{ sku, quantity: 4 }] });
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 5, reserved: 0, available: 5 });

    const res = await shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/reservations/${orderRef}/release`,
      headers: staffHeaders,
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), released);
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 5, reserved: 0, available: 5 });

    await assert.rejects(
      stock().reserve(ctx(), { orderRef, lines: [{ sku: sku!, quantity: 4 }] }),
      (err: InvalidState) =>
        err instanceof InvalidState &&
        err.details.code === 'reservation_released' &&
        /was released/.test(err.message),
    );
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 5, reserved: 0, available: 5 });
  });

  test('an orderRef whose reservation was released or committed cannot be reserved again, with the same lines or others', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    const [releasedRef, committedRef] = [unique('ended-released'), unique('ended-committed')];
    for (const orderRef of [releasedRef, committedRef]) {
      const first = await reserveOverHttp({ orderRef, lines: [{ sku, quantity: 2 }] });
      assert.equal(first.statusCode, 201, first.body);
    }
    await stock().release(ctx(), releasedRef);
    await stock().commit(ctx(), committedRef);
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 8, reserved: 0, available: 8 });

    const cases = [
      {
        orderRef: releasedRef,
        code: 'reservation_released',
        said: /was released: its units went back to stock/,
      },
      { orderRef: committedRef, code: 'reservation_committed', said: /was committed: its units are sold/ },
    ];
    for (const { orderRef, code, said } of cases) {
      for (const lines of [[{ sku, quantity: 2 }], [{ sku, quantity: 5 }]]) {
        const res = await reserveOverHttp({ orderRef, lines });
        assert.equal(res.statusCode, 409, res.body);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        const problem = res.json() as Record<string, unknown>;
        assert.equal(problem.code, code, res.body);
        assert.equal(problem.type, 'https://shopstack.dev/problems/invalid-state');
        assert.match(String(problem.detail), said);
        assert.doesNotMatch(String(problem.detail), /already holds/);
        assert.equal(problem.orderRef, orderRef);
      }
    }
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 8, reserved: 0, available: 8 });
    assert.equal((await stock().getReservation(ctx(), releasedRef)).status, 'released');
    assert.equal((await stock().getReservation(ctx(), committedRef)).status, 'committed');
  });

  test('an active orderRef repeated with the same lines returns its reservation; with other lines it is 409 reservation_lines_differ', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    const orderRef = unique('active');
    const first = await reserveOverHttp({ orderRef, lines: [{ sku, quantity: 2 }] });
    assert.equal(first.statusCode, 201);
    const again = await reserveOverHttp({
      orderRef,
      lines: [
        { sku, quantity: 1 },
        { sku, quantity: 1 },
      ],
    });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), first.json());
    const other = await reserveOverHttp({ orderRef, lines: [{ sku, quantity: 3 }] });
    assert.equal(other.statusCode, 409);
    const problem = other.json() as Record<string, unknown>;
    assert.equal(problem.code, 'reservation_lines_differ');
    assert.match(String(problem.detail), /already holds an active reservation of other lines/);
    assert.deepEqual(problem.reserved, [{ sku, quantity: 2 }]);
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 10, reserved: 2, available: 8 });
  });

  test('commit takes the units off the shelf and the hold; committing again is a no-op; release after commit is 409', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    const orderRef = unique('commit');
    await stock().reserve(ctx(), { orderRef, lines: [{ sku: sku!, quantity: 3 }] });
    const committed = await stock().commit(ctx(), orderRef);
    assert.equal(committed.status, 'committed');
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 7, reserved: 0, available: 7 });

    const res = await shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/reservations/${orderRef}/commit`,
      headers: staffHeaders,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'committed');
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 7, reserved: 0, available: 7 });

    await assert.rejects(stock().release(ctx(), orderRef), InvalidState);
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 7, reserved: 0, available: 7 });
  });

  test('committing a released reservation is refused with 409 and changes nothing', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    const orderRef = unique('late-commit');
    await stock().reserve(ctx(), { orderRef, lines: [{ sku: sku!, quantity: 3 }] });
    await stock().release(ctx(), orderRef);
    const res = await shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/reservations/${orderRef}/commit`,
      headers: staffHeaders,
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().type, 'https://shopstack.dev/problems/invalid-state');
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 10, reserved: 0, available: 10 });
    const current = await shop.app.inject({
      url: `/api/catalogue/reservations/${orderRef}`,
      headers: staffHeaders,
    });
    assert.equal(current.json().status, 'released');
  });

  test('reservations over two SKUs in opposite line orders do not deadlock', async () => {
    const [a, b] = await product([{ onHand: 30 }, { onHand: 30 }]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        stock().reserve(ctx(), {
          orderRef: `${a}-pair-${i}`,
          lines:
            i % 2
              ? [
                  { sku: a!, quantity: 1 },
                  { sku: b!, quantity: 1 },
                ]
              : [
                  { sku: b!, quantity: 1 },
                  { sku: a!, quantity: 1 },
                ],
        }),
      ),
    );
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const f of failures)
      assert.ok(f.reason instanceof Conflict, `expected Conflict, got ${String(f.reason)}`);
    assert.equal(outcomes.length - failures.length, 30);
    assert.deepEqual(await stockOf(shop, a!), { onHand: 30, reserved: 30, available: 0 });
    assert.deepEqual(await stockOf(shop, b!), { onHand: 30, reserved: 30, available: 0 });
  });

  test('a quantity of 0 or below is refused with a 400 problem naming the field, and nothing is held', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    for (const quantity of [0, -2]) {
      const res = await reserveOverHttp({ orderRef: unique('zero'), lines: [{ sku, quantity }] });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().field, 'lines.0.quantity');
    }
    const text = await reserveOverHttp({ orderRef: unique('text'), lines: [{ sku, quantity: '1' }] });
    assert.equal(text.statusCode, 400);
    assert.equal(text.json().field, 'lines.0.quantity');
    await assert.rejects(
      stock().reserve(ctx(), { orderRef: unique('zero-api'), lines: [{ sku: sku!, quantity: 0 }] }),
      (err: unknown) => err instanceof InvalidInput && err.field === 'lines.0.quantity',
    );
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 10, reserved: 0, available: 10 });
  });

  test('an unknown SKU is refused with 422 naming its line, and nothing is held', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    const res = await reserveOverHttp({
      orderRef: unique('unknown'),
      lines: [
        { sku, quantity: 1 },
        { sku: 'NO-SUCH-SKU', quantity: 1 },
      ],
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().field, 'lines.1.sku');
    assert.match(res.json().detail, /NO-SUCH-SKU/);
    assert.equal((await stockOf(shop, sku!)).reserved, 0);
  });

  test('SKUs of a draft or archived product cannot be reserved: 422 naming the line, nothing held', async () => {
    const [onSale] = await product([{ onHand: 10 }]);
    const draftSku = unique('SKU');
    await createProduct(shop, {
      name: unique('Draft product'),
      status: 'draft',
      variants: [{ sku: draftSku, onHand: 10 }],
    });
    const archivedSku = unique('SKU');
    const archived = await createProduct(shop, {
      name: unique('Archived product'),
      variants: [{ sku: archivedSku, onHand: 10 }],
    });
    const archiving = await shop.app.inject({
      method: 'POST',
      url: `/api/catalogue/admin/products/${archived.id}/archive`,
      headers: staffHeaders,
    });
    assert.equal(archiving.statusCode, 200, archiving.body);

    for (const offSale of [draftSku, archivedSku]) {
      const res = await reserveOverHttp({
        orderRef: unique('off-sale'),
        lines: [
          { sku: onSale, quantity: 1 },
          { sku: offSale, quantity: 1 },
        ],
      });
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().field, 'lines.1.sku');
      assert.match(res.json().detail, /not on sale/);
      assert.equal((await stockOf(shop, offSale)).reserved, 0);
    }
    assert.equal((await stockOf(shop, onSale!)).reserved, 0);
  });

  test('reservation endpoints need the staff token', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    const res = await reserveOverHttp({ orderRef: unique('anon'), lines: [{ sku, quantity: 1 }] }, {});
    assert.equal(res.statusCode, 401);
    const wrong = await reserveOverHttp(
      { orderRef: unique('anon'), lines: [{ sku, quantity: 1 }] },
      { authorization: 'Bearer not-the-token' },
    );
    assert.equal(wrong.statusCode, 401);
    assert.equal((await stockOf(shop, sku!)).reserved, 0);
  });

  test('adjusting stock above 1,000,000,000 units on hand is refused with 409 and changes nothing', async () => {
    const [sku] = await product([{ onHand: 999_999_999 }]);
    const adjust = (delta: number) =>
      shop.app.inject({
        method: 'POST',
        url: `/api/catalogue/admin/stock/${sku}/adjust`,
        headers: staffHeaders,
        payload: { delta },
      });
    assert.equal((await adjust(1)).statusCode, 200);
    // The second delta would also overflow the integer column if it were ever added.
    for (const delta of [1, 1_000_000_000, 1_000_000_000]) {
      const res = await adjust(delta);
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().max, 1_000_000_000);
    }
    assert.deepEqual(await stockOf(shop, sku!), {
      onHand: 1_000_000_000,
      reserved: 0,
      available: 1_000_000_000,
    });
  });

  test('setting stock below what is reserved is refused; the public stock read shows availability', async () => {
    const [sku] = await product([{ onHand: 10 }]);
    await stock().reserve(ctx(), { orderRef: unique('hold'), lines: [{ sku: sku!, quantity: 6 }] });

    const below = await shop.app.inject({
      method: 'PUT',
      url: `/api/catalogue/admin/stock/${sku}`,
      headers: staffHeaders,
      payload: { onHand: 5 },
    });
    assert.equal(below.statusCode, 409);
    assert.equal(below.json().reserved, 6);
    assert.deepEqual(await stockOf(shop, sku!), { onHand: 10, reserved: 6, available: 4 });

    const set = await shop.app.inject({
      method: 'PUT',
      url: `/api/catalogue/admin/stock/${sku}`,
      headers: staffHeaders,
      payload: { onHand: 6 },
    });
    assert.equal(set.statusCode, 200);
    assert.deepEqual(set.json(), { sku, onHand: 6, reserved: 6, available: 0, inStock: false });

    const adjusted = await stock().adjustStock(ctx(), sku!, { delta: 4 });
    assert.equal(adjusted.available, 4);
    await assert.rejects(stock().adjustStock(ctx(), sku!, { delta: -5 }), Conflict);

    const pub = await shop.app.inject({ url: `/api/catalogue/stock/${sku}` });
    assert.equal(pub.statusCode, 200);
    assert.deepEqual(pub.json(), { sku, inStock: true, available: 4, moreAvailable: false });
  });
});
