import type { Generated, Selectable } from 'kysely';

/** Row types of the ratings schema (see migrations/). */

export type ReviewStatus = 'visible' | 'hidden';

/** A customer's review of a product: one per customer and product (a unique constraint holds it). */
export interface ReviewTable {
  id: string;
  product_id: string;
  customer_id: string;
  rating: number;
  title: string;
  body: string;
  /** Hidden by staff: not listed publicly and not counted in the product's rating. */
  status: Generated<ReviewStatus>;
  helpful_count: Generated<number>;
  reply_body: string | null;
  reply_by: string | null;
  replied_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One "helpful" vote: its primary key (review_id, customer_id) admits one per customer. */
export interface ReviewVoteTable {
  review_id: string;
  customer_id: string;
  created_at: Generated<Date>;
}

/**
 * A product's rating over its visible reviews: sums and counts as integers, changed only by atomic
 * increments; `seq` counts the changes, so a consumer of ProductRatingChanged can drop a late one.
 */
export interface ProductRatingTable {
  product_id: string;
  rating_sum: number;
  rating_count: number;
  stars_1: number;
  stars_2: number;
  stars_3: number;
  stars_4: number;
  stars_5: number;
  seq: number;
  updated_at: Generated<Date>;
}

export interface RatingsTables {
  reviews: ReviewTable;
  review_votes: ReviewVoteTable;
  product_ratings: ProductRatingTable;
}

export type ReviewRow = Selectable<ReviewTable>;
export type ProductRatingRow = Selectable<ProductRatingTable>;
