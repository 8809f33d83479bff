import {
  assertInput,
  Conflict,
  Forbidden,
  newId,
  NotFound,
  requireCustomer,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { ReviewRepository } from '../repositories/reviews.js';
import {
  CreateReviewInput,
  ReviewListQuery,
  UpdateReviewInput,
  type HelpfulVote,
  type Review,
  type ReviewPage,
} from '../schemas/review.js';
import type { RatingsTables, ReviewRow } from '../tables.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { ProductRatings } from './product-ratings.js';
import { toReview } from './views.js';

/** The answer to a review that does not exist or that the caller may not see (the same answer, on purpose). */
export function reviewNotFound(id: string): NotFound {
  return new NotFound(`There is no review ${id}.`, { code: 'review_not_found' });
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === constraint;
}

function isMissingReference(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23503';
}

type Star = 1 | 2 | 3 | 4 | 5;

/**
 * Reviews as customers write and shoppers read them. Only a customer who bought a product may
 * review it, once; authors edit and delete their own reviews, and anyone else's is answered as
 * absent. Every change of a visible review's stars changes the product's rating in its transaction.
 */
export class ReviewService {
  readonly repo: ReviewRepository;

  constructor(
    private readonly runtime: ServiceRuntime<RatingsTables>,
    private readonly ratings: ProductRatings,
  ) {
    this.repo = new ReviewRepository(runtime.uow, runtime.schema);
  }

  /** A page of a product's visible reviews, newest or most helpful first, with staff replies. */
  async list(ctx: RequestContext, productId: string, query: ReviewListQuery = {}): Promise<ReviewPage> {
    assertInput(ReviewListQuery, query);
    const sort = query.sort ?? 'newest';
    const limit = query.limit ?? 20;
    const after = decodeCursor(sort, query.cursor);
    const rows = await this.repo.page(ctx, { productId, status: 'visible' }, sort, limit, after);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      items: page.map(toReview),
      nextCursor: more ? encodeCursor(sort, page[page.length - 1]!) : null,
    };
  }

  /**
   * The signed-in customer reviews a product they bought (403 not_a_buyer otherwise); a second
   * review of the same product is refused (409 already_reviewed).
   */
  async create(ctx: RequestContext, productId: string, input: CreateReviewInput): Promise<Review> {
    const customerId = requireCustomer(ctx, 'review products');
    assertInput(CreateReviewInput, input);
    const bought = await this.runtime.clients.get('orders').customerBought(ctx, customerId, productId);
    if (!bought) {
      throw new Forbidden('Only customers who bought a product may review it.', { code: 'not_a_buyer' });
    }
    try {
      const row = await this.runtime.uow.transaction(ctx, async (tx) => {
        const created = await this.repo.insert(tx, {
          id: newId(),
          product_id: productId,
          customer_id: customerId,
          rating: input.rating,
          title: input.title,
          body: input.body,
        });
        await this.ratings.change(tx, productId, { [input.rating as Star]: 1 });
        return created;
      });
      ctx.log.info({ reviewId: row.id, productId }, 'review created');
      return toReview(row);
    } catch (err) {
      if (isUniqueViolation(err, 'reviews_customer_product_key')) {
        throw new Conflict('You already reviewed this product; edit that review instead.', {
          code: 'already_reviewed',
        });
      }
      throw err;
    }
  }

  /** The author changes their review's stars, title or body; someone else's review is NotFound. */
  async update(ctx: RequestContext, id: string, input: UpdateReviewInput): Promise<Review> {
    const customerId = requireCustomer(ctx, 'edit reviews');
    assertInput(UpdateReviewInput, input);
    const row = await this.runtime.uow.transaction(ctx, async (tx) => {
      const before = await this.repo.lockOwn(tx, id, customerId);
      if (!before) throw reviewNotFound(id);
      const after = await this.repo.update(tx, id, input);
      if (before.status === 'visible' && after.rating !== before.rating) {
        await this.ratings.change(tx, after.product_id, {
          [before.rating as Star]: -1,
          [after.rating as Star]: 1,
        });
      }
      return after;
    });
    return toReview(row);
  }

  /** The author deletes their review (and its votes); someone else's review is NotFound. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    const customerId = requireCustomer(ctx, 'delete reviews');
    await this.runtime.uow.transaction(ctx, async (tx) => {
      const deleted = await this.repo.deleteOwn(tx, id, customerId);
      if (!deleted) throw reviewNotFound(id);
      if (deleted.status === 'visible') {
        await this.ratings.change(tx, deleted.product_id, { [deleted.rating as Star]: -1 });
      }
    });
    ctx.log.info({ reviewId: id }, 'review deleted');
  }

  /**
   * A customer finds a visible review helpful. One vote per customer: voting again changes nothing
   * and answers the same count (counted: false), so a retried request is harmless.
   */
  async voteHelpful(ctx: RequestContext, id: string): Promise<HelpfulVote> {
    const customerId = requireCustomer(ctx, 'vote on reviews');
    const review = await this.repo.find(ctx, id);
    if (!review || review.status !== 'visible') throw reviewNotFound(id);
    let outcome: Awaited<ReturnType<ReviewRepository['vote']>>;
    try {
      outcome = await this.repo.vote(ctx, id, customerId);
    } catch (err) {
      // The review was deleted between reading it and voting.
      if (isMissingReference(err)) throw reviewNotFound(id);
      throw err;
    }
    if (!outcome) throw reviewNotFound(id);
    return { reviewId: id, helpfulCount: outcome.helpfulCount, counted: outcome.counted };
  }

  /** A review by id as its row, for the services of this package. */
  find(ctx: RequestContext, id: string): Promise<ReviewRow | null> {
    return this.repo.find(ctx, id);
  }
}
