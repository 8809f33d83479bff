import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { HelpfulVote, Review } from '../src/schemas/review.js';
import {
  buildRatingsShop,
  buyer,
  catalogueShows,
  customer,
  expectedRating,
  postReview,
  productOnSale,
  ratingOf,
  ratingsStaff,
  unique,
  type ShopProduct,
} from './support.js';

const BUYERS = 100;

/** The ProductRatingChanged events of a product, as the ratings outbox holds them. */
async function ratingEvents(shop: ShopApp, productId: string) {
  const outbox = sql.table(`${shop.database.schemaFor('ratings')}.outbox`);
  const { rows } = await sql<{ data: { productId: string; average: number; count: number; seq: number } }>`
    select data from ${outbox} where type = 'ProductRatingChanged' and aggregate = ${productId}`.execute(
    shop.database.db,
  );
  return rows.map((row) => row.data);
}

describeEachBackend('ratings under concurrency', (backend) => {
  // A hundred checkouts are what proves "bought"; the race itself is what PostgreSQL's locking must survive.
  const skip = backend.kind !== 'postgres';
  let shop: ShopApp;
  let product: ShopProduct;
  let buyers: string[];
  before(async () => {
    if (skip) return;
    shop = await buildRatingsShop(backend);
    product = await productOnSale(shop);
    buyers = [];
    for (let i = 0; i < BUYERS; i += 10) {
      buyers.push(...(await Promise.all(Array.from({ length: 10 }, () => buyer(shop, product)))));
    }
  });

  test(
    `${BUYERS} buyers reviewing at once leave the exact average, count and histogram, and numbered events`,
    { skip },
    async () => {
      const stars = buyers.map((_, i) => ((i * 7) % 5) + 1);
      const headers = await Promise.all(buyers.map((id) => customer(id)));
      const answers = await Promise.all(
        buyers.map((_, i) =>
          postReview(shop, product.productId, headers[i]!, {
            rating: stars[i],
            title: `T${i}`,
            body: 'Raced',
          }),
        ),
      );
      assert.deepEqual(
        answers.map((res) => res.statusCode),
        buyers.map(() => 201),
      );
      assert.deepEqual(await ratingOf(shop, product.productId), expectedRating(product.productId, stars));

      // Each change has its own number, 1..N, and the highest carries the rating as it is now.
      const events = await ratingEvents(shop, product.productId);
      const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: BUYERS }, (_, i) => i + 1),
      );
      const last = events.find((e) => e.seq === BUYERS)!;
      const expected = expectedRating(product.productId, stars);
      assert.deepEqual(last, {
        productId: product.productId,
        average: expected.average,
        count: BUYERS,
        seq: BUYERS,
      });

      // Racing edits, deletes and hides of the same product still leave the rating exact.
      const reviews = answers.map((res) => res.json() as Review);
      const after = [...stars];
      const changes = reviews.slice(0, 30).map(async (r, i) => {
        if (i % 3 === 0) {
          after[i] = 0;
          return shop.app.inject({
            method: 'DELETE',
            url: `/api/ratings/reviews/${r.id}`,
            headers: headers[i]!,
          });
        }
        if (i % 3 === 1) {
          after[i] = (stars[i]! % 5) + 1;
          return shop.app.inject({
            method: 'PATCH',
            url: `/api/ratings/reviews/${r.id}`,
            headers: headers[i]!,
            payload: { rating: after[i] },
          });
        }
        after[i] = 0;
        return shop.app.inject({
          method: 'POST',
          url: `/api/ratings/admin/reviews/${r.id}/hide`,
          headers: ratingsStaff,
        });
      });
      for (const res of await Promise.all(changes)) assert.ok(res.statusCode < 300, res.body);
      const final = expectedRating(
        product.productId,
        after.filter((s) => s > 0),
      );
      assert.deepEqual(await ratingOf(shop, product.productId), final);
      // The catalogue ends on the last announcement, whatever order the bus delivered them in.
      await catalogueShows(shop, product.productId, { average: final.average, count: final.count });
    },
  );

  test('concurrent helpful votes count one per customer, however often each votes', { skip }, async () => {
    const target = buyers[BUYERS - 1]!;
    const list = await shop.app.inject({
      method: 'GET',
      url: `/api/ratings/products/${product.productId}/reviews?limit=100`,
    });
    const r = (list.json() as { items: Review[] }).items.find((item) => item.title === `T${BUYERS - 1}`);
    assert.ok(r, `review of ${target}`);
    const voters = await Promise.all(Array.from({ length: 40 }, () => customer(unique('voter'))));
    const votes = await Promise.all(
      [...voters, ...voters, ...voters].map((headers) =>
        shop.app.inject({ method: 'POST', url: `/api/ratings/reviews/${r.id}/helpful`, headers }),
      ),
    );
    assert.ok(votes.every((res) => res.statusCode === 200));
    const counted = votes.filter((res) => (res.json() as HelpfulVote).counted).length;
    assert.equal(counted, voters.length);
    const again = await shop.app.inject({
      method: 'POST',
      url: `/api/ratings/reviews/${r.id}/helpful`,
      headers: voters[0]!,
    });
    assert.deepEqual(again.json(), { reviewId: r.id, helpfulCount: voters.length, counted: false });
  });
});
