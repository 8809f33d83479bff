import { assertInput, authorize, STAFF, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import { ReviewRepository } from '../repositories/reviews.js';
import {
  ReplyInput,
  StaffReviewListQuery,
  type StaffReview,
  type StaffReviewPage,
} from '../schemas/review.js';
import type { RatingsTables, ReviewStatus } from '../tables.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { ProductRatings } from './product-ratings.js';
import { reviewNotFound } from './reviews.js';
import { toStaffReview } from './views.js';

const ACTION = 'moderate reviews';

type Star = 1 | 2 | 3 | 4 | 5;

/**
 * Staff moderation: every review whatever its status, hiding and showing (a hidden review leaves
 * listings and the product's rating, in the same transaction) and the shop's reply.
 */
export class ReviewModeration {
  private readonly repo: ReviewRepository;

  constructor(
    private readonly runtime: ServiceRuntime<RatingsTables>,
    private readonly ratings: ProductRatings,
  ) {
    this.repo = new ReviewRepository(runtime.uow, runtime.schema);
  }

  /** Reviews newest first, filtered by status and product. */
  async list(ctx: RequestContext, query: StaffReviewListQuery = {}): Promise<StaffReviewPage> {
    authorize(ctx, STAFF, ACTION);
    assertInput(StaffReviewListQuery, query);
    const limit = query.limit ?? 20;
    const after = decodeCursor('staff', query.cursor);
    const filter = {
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.productId === undefined ? {} : { productId: query.productId }),
    };
    const rows = await this.repo.page(ctx, filter, 'newest', limit, after);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      items: page.map(toStaffReview),
      nextCursor: more ? encodeCursor('staff', page[page.length - 1]!) : null,
    };
  }

  /** Takes a review out of listings and out of its product's rating; hiding a hidden one changes nothing. */
  hide(ctx: RequestContext, id: string): Promise<StaffReview> {
    return this.move(ctx, id, 'visible', 'hidden');
  }

  /** Puts a hidden review back; showing a visible one changes nothing. */
  show(ctx: RequestContext, id: string): Promise<StaffReview> {
    return this.move(ctx, id, 'hidden', 'visible');
  }

  /** Sets or replaces the shop's reply to a review. */
  async reply(ctx: RequestContext, id: string, input: ReplyInput): Promise<StaffReview> {
    authorize(ctx, STAFF, ACTION);
    assertInput(ReplyInput, input);
    const by = ctx.actor.kind === 'staff' ? ctx.actor.id : ctx.actor.kind;
    const row = await this.repo.setReply(ctx, id, { body: input.body, by });
    if (!row) throw reviewNotFound(id);
    return toStaffReview(row);
  }

  /** Removes the shop's reply to a review (removing none changes nothing). */
  async removeReply(ctx: RequestContext, id: string): Promise<StaffReview> {
    authorize(ctx, STAFF, ACTION);
    const row = await this.repo.setReply(ctx, id, null);
    if (!row) throw reviewNotFound(id);
    return toStaffReview(row);
  }

  private async move(
    ctx: RequestContext,
    id: string,
    from: ReviewStatus,
    to: ReviewStatus,
  ): Promise<StaffReview> {
    authorize(ctx, STAFF, ACTION);
    const row = await this.runtime.uow.transaction(ctx, async (tx) => {
      const moved = await this.repo.moveStatus(tx, id, from, to);
      if (!moved) return this.repo.find(tx, id);
      await this.ratings.change(tx, moved.product_id, { [moved.rating as Star]: to === 'visible' ? 1 : -1 });
      return moved;
    });
    if (!row) throw reviewNotFound(id);
    ctx.log.info({ reviewId: id, status: row.status }, 'review moderated');
    return toStaffReview(row);
  }
}
