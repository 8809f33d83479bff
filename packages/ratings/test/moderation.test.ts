import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { ReviewPage, StaffReview, StaffReviewPage } from '../src/schemas/review.js';
import {
  buildRatingsShop,
  buyer,
  customer,
  expectedRating,
  outcomeOf,
  productOnSale,
  ratingOf,
  ratingsStaff,
  review,
  type ShopProduct,
} from './support.js';

describeEachBackend('review moderation', (backend) => {
  let shop: ShopApp;
  let product: ShopProduct;
  before(async () => {
    shop = await buildRatingsShop(backend);
    product = await productOnSale(shop);
  });

  const staffPost = (path: string) =>
    shop.app.inject({ method: 'POST', url: `/api/ratings/admin/reviews/${path}`, headers: ratingsStaff });
  const publicTitles = async (productId: string) => {
    const res = await shop.app.inject({ method: 'GET', url: `/api/ratings/products/${productId}/reviews` });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as ReviewPage).items.map((r) => r.title);
  };

  test('hiding takes a review out of the listing and the rating; showing puts it back; both are idempotent', async () => {
    const p = await productOnSale(shop);
    const a = await review(shop, p.productId, await buyer(shop, p), 1, 'Awful');
    await review(shop, p.productId, await buyer(shop, p), 5, 'Lovely');
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [1, 5]));

    const hidden = await staffPost(`${a.id}/hide`);
    assert.equal(hidden.statusCode, 200, hidden.body);
    assert.equal((hidden.json() as StaffReview).status, 'hidden');
    assert.equal((await staffPost(`${a.id}/hide`)).statusCode, 200);
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [5]));
    assert.deepEqual(await publicTitles(p.productId), ['Lovely']);

    // Its author still edits it; a hidden review's stars stay out of the rating.
    const authorEdit = await shop.app.inject({
      method: 'GET',
      url: `/api/ratings/admin/reviews?status=hidden&productId=${p.productId}`,
      headers: ratingsStaff,
    });
    const [listed] = (authorEdit.json() as StaffReviewPage).items;
    assert.equal(listed?.id, a.id);
    const edit = await shop.app.inject({
      method: 'PATCH',
      url: `/api/ratings/reviews/${a.id}`,
      headers: await customer(listed.customerId),
      payload: { rating: 2 },
    });
    assert.equal(edit.statusCode, 200, edit.body);
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [5]));

    const shown = await staffPost(`${a.id}/show`);
    assert.equal(shown.statusCode, 200, shown.body);
    assert.equal((await staffPost(`${a.id}/show`)).statusCode, 200);
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [2, 5]));
    assert.deepEqual(await publicTitles(p.productId), ['Lovely', 'Awful']);

    // A hidden review is absent to voters.
    await staffPost(`${a.id}/hide`);
    const vote = await shop.app.inject({
      method: 'POST',
      url: `/api/ratings/reviews/${a.id}/helpful`,
      headers: await customer('someone'),
    });
    assert.deepEqual(outcomeOf(vote), { status: 404, code: 'review_not_found' });
  });

  test("the shop's reply shows in the public listing and can be replaced and removed", async () => {
    const r = await review(shop, product.productId, await buyer(shop, product), 3, 'So-so');
    const reply = (body: string) =>
      shop.app.inject({
        method: 'PUT',
        url: `/api/ratings/admin/reviews/${r.id}/reply`,
        headers: ratingsStaff,
        payload: { body },
      });
    assert.equal((await reply('Sorry to hear that')).statusCode, 200);
    const replaced = await reply('We sent you a voucher');
    assert.equal(replaced.statusCode, 200, replaced.body);
    const listed = async () => {
      const res = await shop.app.inject({
        method: 'GET',
        url: `/api/ratings/products/${product.productId}/reviews`,
      });
      return (res.json() as ReviewPage).items.find((item) => item.id === r.id)!;
    };
    assert.equal((await listed()).reply?.body, 'We sent you a voucher');
    const removed = await shop.app.inject({
      method: 'DELETE',
      url: `/api/ratings/admin/reviews/${r.id}/reply`,
      headers: ratingsStaff,
    });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal((await listed()).reply, null);
  });

  test('moderation is for staff: customers 403, anonymous 401, a missing review 404', async () => {
    const r = await review(shop, product.productId, await buyer(shop, product), 4);
    const asCustomer = await shop.app.inject({
      method: 'POST',
      url: `/api/ratings/admin/reviews/${r.id}/hide`,
      headers: await customer('c1'),
    });
    assert.deepEqual(outcomeOf(asCustomer), { status: 403, code: 'forbidden' });
    const anonymous = await shop.app.inject({ method: 'GET', url: '/api/ratings/admin/reviews' });
    assert.deepEqual(outcomeOf(anonymous), { status: 401, code: 'authentication_required' });
    const missing = await staffPost('01900000-0000-7000-8000-000000000000/hide');
    assert.deepEqual(outcomeOf(missing), { status: 404, code: 'review_not_found' });
  });

  test('the staff list filters by status and product and pages newest first', async () => {
    const p = await productOnSale(shop);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await review(shop, p.productId, await buyer(shop, p), 5, `S${i}`));
    await staffPost(`${made[1]!.id}/hide`);
    const list = async (query: string) => {
      const res = await shop.app.inject({
        method: 'GET',
        url: `/api/ratings/admin/reviews?productId=${p.productId}${query}`,
        headers: ratingsStaff,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as StaffReviewPage;
    };
    assert.deepEqual(
      (await list('')).items.map((r) => r.title),
      ['S2', 'S1', 'S0'],
    );
    assert.deepEqual(
      (await list('&status=visible')).items.map((r) => r.title),
      ['S2', 'S0'],
    );
    const first = await list('&limit=2');
    assert.equal(first.items.length, 2);
    const second = await list(`&limit=2&cursor=${first.nextCursor}`);
    assert.deepEqual(
      second.items.map((r) => r.title),
      ['S0'],
    );
    assert.equal(second.nextCursor, null);
  });
});
