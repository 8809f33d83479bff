import { defineService } from '@shopstack/kernel';
import { createRatingsApi, inProcessRatingsClient, type RatingsApi } from './api.js';
import type { RatingsClient } from './client.js';
import { HttpRatingsClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { ratingsRoutes } from './routes/index.js';
import type { RatingsTables } from './tables.js';

export type { RatingsApi } from './api.js';
export type { RatingsClient } from './client.js';
export { HttpRatingsClient } from './http-client.js';
export type { ProductRating, ProductRatingChanged } from './schemas/rating.js';
export type { Review, StaffReview } from './schemas/review.js';
export { PRODUCT_RATING_CHANGED } from './services/product-ratings.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    ratings: RatingsClient;
  }
}

/** Product reviews by verified buyers, helpful votes, staff moderation and products' ratings. */
export const ratingsService = defineService<RatingsApi, RatingsClient, RatingsTables>({
  name: 'ratings',
  description: 'Product reviews by buyers, helpful votes, moderation and per-product ratings',
  // Only a customer with a paid order of a product may review it: orders knows.
  dependsOn: ['orders'],
  migrations,
  create: createRatingsApi,
  routes: ratingsRoutes,
  inProcessClient: inProcessRatingsClient,
  httpClient: (options) => new HttpRatingsClient(options),
});
