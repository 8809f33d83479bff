import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { EventEnvelope, RequestContext, ServiceRuntime } from '@shopstack/kernel';
import { ProductRatingRepository } from '../repositories/product-ratings.js';
import type { CatalogueChange } from '../search/catalogue-index.js';
import type { CatalogueTables } from '../tables.js';

/** The event of the ratings service this consumes. */
export const PRODUCT_RATING_CHANGED = 'ProductRatingChanged';

/** What a ProductRatingChanged event carries (version 1). */
const RatingChangedData = Type.Object({
  productId: Type.String({ minLength: 1, maxLength: 64 }),
  average: Type.Number({ minimum: 0, maximum: 5 }),
  count: Type.Integer({ minimum: 0 }),
  seq: Type.Integer({ minimum: 1 }),
});

/**
 * Keeps products' ratings as the ratings service announces them. An announcement older than the
 * one stored (a lower seq, delivered late or again) changes nothing. A stored one reaches product
 * answers like any product edit: the read index refreshes the product (its ETag changes with its
 * document) and tells the other processes to, once the write committed.
 */
export class ProductRatingSync {
  readonly repo: ProductRatingRepository;

  constructor(
    private readonly runtime: ServiceRuntime<CatalogueTables>,
    private readonly changed: (change: CatalogueChange) => Promise<void>,
  ) {
    this.repo = new ProductRatingRepository(runtime.uow, runtime.schema);
  }

  /**
   * Applies a ProductRatingChanged event in the context's transaction (or one of its own) and
   * answers whether it was newer than the stored rating. In a transaction of its own, it resolves
   * once the read index shows the rating; in the caller's, the index refreshes when that commits.
   */
  async apply(ctx: RequestContext, event: EventEnvelope): Promise<boolean> {
    if (!Value.Check(RatingChangedData, event.data)) {
      // Thrown, so the bus retries and then dead-letters it, where someone can look at it.
      throw new Error(`${event.type} ${event.id} does not carry a product rating of version 1`);
    }
    const data = event.data;
    const joined = this.runtime.uow.active(ctx);
    const stored = await this.runtime.uow.transaction(ctx, (tx) => this.repo.apply(tx, data));
    if (!stored) {
      ctx.log.debug({ productId: data.productId, seq: data.seq }, 'older product rating ignored');
      return false;
    }
    const products = [data.productId];
    if (!joined) {
      await this.changed({ products });
    } else {
      // The caller's transaction commits after this returns: refresh once its lock is let go.
      void this.repo
        .waitForWriters(data.productId)
        .then(() => this.changed({ products }))
        .catch((err: unknown) => {
          ctx.log.error(
            { err, productId: data.productId },
            'could not refresh a product after its rating changed',
          );
        });
    }
    return true;
  }
}
