import { assertInput, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import type { RatingsClient } from './client.js';
import { ProductParams } from './schemas/common.js';
import type { ProductRating } from './schemas/rating.js';
import { ReviewModeration } from './services/moderation.js';
import { ProductRatings } from './services/product-ratings.js';
import { ReviewService } from './services/reviews.js';
import type { RatingsTables } from './tables.js';

/** The ratings service's domain API in one process: reviews, products' ratings and moderation. */
export interface RatingsApi {
  reviews: ReviewService;
  ratings: ProductRatings;
  moderation: ReviewModeration;
}

export function createRatingsApi(runtime: ServiceRuntime<RatingsTables>): RatingsApi {
  const ratings = new ProductRatings(runtime);
  return {
    ratings,
    reviews: new ReviewService(runtime, ratings),
    moderation: new ReviewModeration(runtime, ratings),
  };
}

export function inProcessRatingsClient(api: RatingsApi): RatingsClient {
  return {
    productRating: async (ctx: RequestContext, productId: string): Promise<ProductRating> => {
      // The same check as the route's, so a bad id is refused alike in process and over HTTP.
      assertInput(ProductParams, { productId });
      return api.ratings.productRating(ctx, productId);
    },
  };
}
