import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { HelpfulVote, Review, ReviewPage } from '../src/schemas/review.js';
import {
  buildRatingsShop,
  buyer,
  catalogueShows,
  customer,
  expectedRating,
  outcomeOf,
  postReview,
  productOnSale,
  ratingOf,
  ratingsStaff,
  review,
  unique,
  type ShopProduct,
} from './support.js';

describeEachBackend('reviews', (backend) => {
  let shop: ShopApp;
  let product: ShopProduct;
  before(async () => {
    shop = await buildRatingsShop(backend);
    product = await productOnSale(shop);
  });

  test('only a signed-in buyer may review: anonymous 401, a customer without a paid order 403 not_a_buyer', async () => {
    const body = { rating: 5, title: 'Great', body: 'Really great' };
    const anonymous = await postReview(shop, product.productId, {}, body);
    assert.deepEqual(outcomeOf(anonymous), { status: 401, code: 'authentication_required' });

    const stranger = await postReview(shop, product.productId, await customer(unique('stranger')), body);
    assert.deepEqual(outcomeOf(stranger), { status: 403, code: 'not_a_buyer' });

    // A buyer of another product has not bought this one.
    const other = await productOnSale(shop);
    const otherBuyer = await buyer(shop, other);
    const wrongProduct = await postReview(shop, product.productId, await customer(otherBuyer), body);
    assert.deepEqual(outcomeOf(wrongProduct), { status: 403, code: 'not_a_buyer' });
    assert.deepEqual(await ratingOf(shop, product.productId), expectedRating(product.productId, []));
  });

  test('a buyer reviews once: the second review is 409 already_reviewed and the rating counts one', async () => {
    const p = await productOnSale(shop);
    const customerId = await buyer(shop, p);
    const first = await review(shop, p.productId, customerId, 4, 'Solid');
    assert.equal(first.rating, 4);
    assert.equal(first.status, 'visible');
    assert.equal(first.reply, null);
    const again = await postReview(shop, p.productId, await customer(customerId), {
      rating: 1,
      title: 'Again',
      body: 'Changed my mind',
    });
    assert.deepEqual(outcomeOf(again), { status: 409, code: 'already_reviewed' });
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [4]));
  });

  test('an author edits and deletes their review; another customer gets 404 for both', async () => {
    const p = await productOnSale(shop);
    const author = await buyer(shop, p);
    const other = await buyer(shop, p);
    const mine = await review(shop, p.productId, author, 2);
    await review(shop, p.productId, other, 5);

    const foreignEdit = await shop.app.inject({
      method: 'PATCH',
      url: `/api/ratings/reviews/${mine.id}`,
      headers: await customer(other),
      payload: { rating: 1 },
    });
    assert.deepEqual(outcomeOf(foreignEdit), { status: 404, code: 'review_not_found' });
    const foreignDelete = await shop.app.inject({
      method: 'DELETE',
      url: `/api/ratings/reviews/${mine.id}`,
      headers: await customer(other),
    });
    assert.deepEqual(outcomeOf(foreignDelete), { status: 404, code: 'review_not_found' });
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [2, 5]));

    const edit = await shop.app.inject({
      method: 'PATCH',
      url: `/api/ratings/reviews/${mine.id}`,
      headers: await customer(author),
      payload: { rating: 4, title: 'Better than I thought' },
    });
    assert.equal(edit.statusCode, 200, edit.body);
    const edited = edit.json() as Review;
    assert.deepEqual([edited.rating, edited.title, edited.body], [4, 'Better than I thought', mine.body]);
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [4, 5]));

    const removed = await shop.app.inject({
      method: 'DELETE',
      url: `/api/ratings/reviews/${mine.id}`,
      headers: await customer(author),
    });
    assert.equal(removed.statusCode, 204, removed.body);
    assert.deepEqual(await ratingOf(shop, p.productId), expectedRating(p.productId, [5]));
    const gone = await shop.app.inject({
      method: 'PATCH',
      url: `/api/ratings/reviews/${mine.id}`,
      headers: await customer(author),
      payload: { rating: 3 },
    });
    assert.deepEqual(outcomeOf(gone), { status: 404, code: 'review_not_found' });
  });

  test("reviews reach the catalogue's product through ProductRatingChanged", async () => {
    const p = await productOnSale(shop);
    await review(shop, p.productId, await buyer(shop, p), 5);
    const second = await review(shop, p.productId, await buyer(shop, p), 2);
    await catalogueShows(shop, p.productId, { average: 3.5, count: 2 });
    const hidden = await shop.app.inject({
      method: 'POST',
      url: `/api/ratings/admin/reviews/${second.id}/hide`,
      headers: ratingsStaff,
    });
    assert.equal(hidden.statusCode, 200, hidden.body);
    await catalogueShows(shop, p.productId, { average: 5, count: 1 });
  });

  test('a product nobody reviewed has zeros', async () => {
    const id = randomUUID();
    assert.deepEqual(await ratingOf(shop, id), expectedRating(id, []));
    const list = await shop.app.inject({ method: 'GET', url: `/api/ratings/products/${id}/reviews` });
    assert.deepEqual(list.json(), { items: [], nextCursor: null });
  });

  test('listings page by cursor, newest first or most helpful first, and refuse a cursor of the other sort', async () => {
    const p = await productOnSale(shop);
    const authors: string[] = [];
    const reviews: Review[] = [];
    for (let i = 0; i < 5; i++) {
      authors.push(await buyer(shop, p));
      reviews.push(await review(shop, p.productId, authors[i]!, (i % 5) + 1, `R${i}`));
    }
    // Votes: R1 gets 3, R3 gets 2, R0 gets 1.
    const votes: Array<[number, number]> = [
      [1, 3],
      [3, 2],
      [0, 1],
    ];
    for (const [index, n] of votes) {
      for (let v = 0; v < n; v++) {
        const res = await shop.app.inject({
          method: 'POST',
          url: `/api/ratings/reviews/${reviews[index]!.id}/helpful`,
          headers: await customer(unique('voter')),
        });
        assert.equal(res.statusCode, 200, res.body);
      }
    }

    const readAll = async (sort: string) => {
      const titles: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/ratings/products/${p.productId}/reviews?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await shop.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json() as ReviewPage;
        assert.ok(page.items.length <= 2);
        titles.push(...page.items.map((r) => r.title));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { titles, pages };
    };
    assert.deepEqual(await readAll('newest'), { titles: ['R4', 'R3', 'R2', 'R1', 'R0'], pages: 3 });
    assert.deepEqual(await readAll('helpful'), { titles: ['R1', 'R3', 'R0', 'R4', 'R2'], pages: 3 });

    const first = await shop.app.inject({
      method: 'GET',
      url: `/api/ratings/products/${p.productId}/reviews?sort=newest&limit=1`,
    });
    const cursor = (first.json() as ReviewPage).nextCursor!;
    const foreign = await shop.app.inject({
      method: 'GET',
      url: `/api/ratings/products/${p.productId}/reviews?sort=helpful&cursor=${cursor}`,
    });
    assert.deepEqual(outcomeOf(foreign), { status: 400, code: 'invalid_cursor' });
  });

  test('helpful votes count one per customer: voting again answers the same count, counted false', async () => {
    const p = await productOnSale(shop);
    const author = await buyer(shop, p);
    const r = await review(shop, p.productId, author, 5);
    const voter = await customer(unique('voter'));
    const vote = () =>
      shop.app.inject({ method: 'POST', url: `/api/ratings/reviews/${r.id}/helpful`, headers: voter });
    const first = await vote();
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { reviewId: r.id, helpfulCount: 1, counted: true } satisfies HelpfulVote);
    const second = await vote();
    assert.equal(second.statusCode, 200, second.body);
    assert.deepEqual(second.json(), {
      reviewId: r.id,
      helpfulCount: 1,
      counted: false,
    } satisfies HelpfulVote);

    const anonymous = await shop.app.inject({ method: 'POST', url: `/api/ratings/reviews/${r.id}/helpful` });
    assert.deepEqual(outcomeOf(anonymous), { status: 401, code: 'authentication_required' });
    const missing = await shop.app.inject({
      method: 'POST',
      url: '/api/ratings/reviews/01900000-0000-7000-8000-000000000000/helpful',
      headers: voter,
    });
    assert.deepEqual(outcomeOf(missing), { status: 404, code: 'review_not_found' });
  });
});
