import type { RequestContext } from '@shopstack/kernel';
import type { ProductRating } from './schemas/rating.js';

/**
 * What other services may ask of ratings. The in-process API and the HTTP client both implement
 * it, so a caller never knows which topology it runs in.
 */
export interface RatingsClient {
  /** A product's average, count and star histogram over its visible reviews; zeros without any. */
  productRating(ctx: RequestContext, productId: string): Promise<ProductRating>;
}
