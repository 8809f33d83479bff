import { sql, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { RatingsTables, ReviewRow, ReviewStatus } from '../tables.js';

/** Where a page of reviews starts: after this review, in the listing's order. */
export type ReviewPageAfter = { id: string; helpfulCount?: number } | undefined;

export interface ReviewFilter {
  productId?: string;
  status?: ReviewStatus;
}

/** All SQL of reviews and their helpful votes; every method joins the context's open transaction. */
export class ReviewRepository {
  constructor(
    private readonly uow: UnitOfWork<RatingsTables>,
    private readonly schema: string,
  ) {}

  private q(ctx: RequestContext): Kysely<RatingsTables> {
    return this.uow.db(ctx).withSchema(this.schema);
  }

  /** Inserts a review; the unique constraint refuses a second one of the customer for the product. */
  async insert(
    ctx: RequestContext,
    row: Pick<ReviewRow, 'id' | 'product_id' | 'customer_id' | 'rating' | 'title' | 'body'>,
  ): Promise<ReviewRow> {
    return this.q(ctx).insertInto('reviews').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async find(ctx: RequestContext, id: string): Promise<ReviewRow | null> {
    const row = await this.q(ctx).selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
    return row ?? null;
  }

  /** The customer's own review, locked until the transaction ends; null when it is not theirs or absent. */
  async lockOwn(ctx: RequestContext, id: string, customerId: string): Promise<ReviewRow | null> {
    const row = await this.q(ctx)
      .selectFrom('reviews')
      .selectAll()
      .where('id', '=', id)
      .where('customer_id', '=', customerId)
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  async update(
    ctx: RequestContext,
    id: string,
    patch: Partial<Pick<ReviewRow, 'rating' | 'title' | 'body'>>,
  ): Promise<ReviewRow> {
    return this.q(ctx)
      .updateTable('reviews')
      .set({ ...patch, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Deletes the customer's own review and answers it as it was; null when not theirs or absent. */
  async deleteOwn(ctx: RequestContext, id: string, customerId: string): Promise<ReviewRow | null> {
    const row = await this.q(ctx)
      .deleteFrom('reviews')
      .where('id', '=', id)
      .where('customer_id', '=', customerId)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Moves a review from one status to the other in one conditional statement; null when it is not
   * in `from` (absent, or already moved), so of two racing moves only one counts.
   */
  async moveStatus(
    ctx: RequestContext,
    id: string,
    from: ReviewStatus,
    to: ReviewStatus,
  ): Promise<ReviewRow | null> {
    const row = await this.q(ctx)
      .updateTable('reviews')
      .set({ status: to, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', '=', from)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Sets (or with null removes) the staff reply; null when the review does not exist. */
  async setReply(
    ctx: RequestContext,
    id: string,
    reply: { body: string; by: string } | null,
  ): Promise<ReviewRow | null> {
    const row = await this.q(ctx)
      .updateTable('reviews')
      .set(
        reply
          ? { reply_body: reply.body, reply_by: reply.by, replied_at: sql<Date>`now()` }
          : { reply_body: null, reply_by: null, replied_at: null },
      )
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * One page (limit + 1 rows, to tell whether more follow) of reviews, newest first or most
   * helpful first; ids are time-ordered UUIDs, so the id orders by age and breaks ties.
   */
  async page(
    ctx: RequestContext,
    filter: ReviewFilter,
    sort: 'newest' | 'helpful',
    limit: number,
    after: ReviewPageAfter,
  ): Promise<ReviewRow[]> {
    let query = this.q(ctx).selectFrom('reviews').selectAll();
    if (filter.productId !== undefined) query = query.where('product_id', '=', filter.productId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (sort === 'helpful') {
      if (after)
        query = query.where(sql<boolean>`(helpful_count, id) < (${after.helpfulCount ?? 0}, ${after.id})`);
      query = query.orderBy('helpful_count', 'desc');
    } else if (after) {
      query = query.where('id', '<', after.id);
    }
    return query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /**
   * Records a customer's helpful vote and counts it, in one statement: the vote's primary key lets
   * a second vote of the same customer insert nothing, and then nothing is counted.
   */
  async vote(
    ctx: RequestContext,
    reviewId: string,
    customerId: string,
  ): Promise<{ counted: boolean; helpfulCount: number } | null> {
    const votes = sql.table(`${this.schema}.review_votes`);
    const reviews = sql.table(`${this.schema}.reviews`);
    const { rows } = await sql<{ counted: boolean; helpful_count: number | null }>`
      with vote as (
        insert into ${votes} (review_id, customer_id) values (${reviewId}, ${customerId})
        on conflict do nothing
        returning review_id
      ), counted as (
        update ${reviews} set helpful_count = helpful_count + 1
        where id = (select review_id from vote)
        returning helpful_count
      )
      select exists (select 1 from counted) as counted,
        coalesce((select helpful_count from counted),
          (select helpful_count from ${reviews} where id = ${reviewId})) as helpful_count`.execute(
      this.uow.db(ctx),
    );
    const row = rows[0];
    if (!row || row.helpful_count === null) return null;
    return { counted: row.counted, helpfulCount: row.helpful_count };
  }
}
