import type { RequestContext, ServiceRuntime } from '@shopstack/kernel';
import { ProductRatingRepository, type StarDelta } from '../repositories/product-ratings.js';
import type { ProductRating, ProductRatingChanged } from '../schemas/rating.js';
import type { RatingsTables } from '../tables.js';
import { averageOf, toRating } from './views.js';

/** The event every change of a product's rating writes, in the change's transaction. */
export const PRODUCT_RATING_CHANGED = 'ProductRatingChanged';

/** Products' ratings: what shoppers read, and the one way they change (with their event). */
export class ProductRatings {
  private readonly repo: ProductRatingRepository;

  constructor(private readonly runtime: ServiceRuntime<RatingsTables>) {
    this.repo = new ProductRatingRepository(runtime.uow, runtime.schema);
  }

  /** A product's average, count and star histogram over its visible reviews; zeros without any. */
  async productRating(ctx: RequestContext, productId: string): Promise<ProductRating> {
    return toRating(productId, await this.repo.find(ctx, productId));
  }

  /**
   * Applies a change of visible reviews to the product's rating and announces it; `tx` must carry
   * the transaction of the review change, so both commit together or not at all.
   */
  async change(tx: RequestContext, productId: string, delta: StarDelta): Promise<void> {
    const row = await this.repo.apply(tx, productId, delta);
    const data: ProductRatingChanged = {
      productId,
      average: averageOf(row.rating_sum, row.rating_count),
      count: row.rating_count,
      seq: Number(row.seq),
    };
    await this.runtime.outbox.emit(tx, { type: PRODUCT_RATING_CHANGED, aggregate: productId, data });
  }
}
