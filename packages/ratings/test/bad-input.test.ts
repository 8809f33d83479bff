import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type Operation, type SweepExamples } from '@shopstack/kernel/testing';
import {
  buildRatingsShop,
  buyer,
  catalogueShows,
  customer,
  productOnSale,
  ratingsStaff,
  review,
} from './support.js';

const MISSING = '01900000-0000-7000-8000-000000000000';

/**
 * A bought product with one review to address, a buyer who has not reviewed yet to post one, and
 * a valid body for every ratings operation.
 */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const product = await productOnSale(shop);
  const author = await buyer(shop, product);
  const newcomer = await buyer(shop, product);
  const written = await review(shop, product.productId, author, 4, 'Sweep');
  // The review's event reaches the catalogue in the background: let it land before the tables are compared.
  await catalogueShows(shop, product.productId, { average: 4, count: 1 });
  const authorHeaders = await customer(author);
  const newcomerHeaders = await customer(newcomer);

  return {
    pathPrefix: '/api/ratings/',
    validBodies: {
      'POST /api/ratings/products/{productId}/reviews': { rating: 5, title: 'Fine', body: 'Does the job' },
      'PATCH /api/ratings/reviews/{id}': { rating: 3, title: 'Edited', body: 'Less sure now' },
      'PUT /api/ratings/admin/reviews/{id}/reply': { body: 'Thank you' },
    },
    // Writes that take no body get a review that does not exist: with nothing to validate, they would act.
    pathParams(operation: Operation) {
      return operation.method !== 'GET' && !operation.spec.requestBody
        ? { productId: product.productId, id: MISSING }
        : { productId: product.productId, id: written.id };
    },
    headersFor(operation: Operation) {
      if (operation.path.includes('/admin/')) return ratingsStaff;
      if (operation.method === 'POST' && operation.path.endsWith('/reviews')) return newcomerHeaders;
      return authorHeaders;
    },
  };
}

describeBadInputSweep('ratings', {
  build: buildRatingsShop,
  prepare,
  minOperations: 11,
  minRequests: 990,
});
