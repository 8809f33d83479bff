import type { ProductRating } from '../schemas/rating.js';
import type { Review, StaffReview } from '../schemas/review.js';
import type { ProductRatingRow, ReviewRow } from '../tables.js';

const iso = (value: Date | string) => new Date(value).toISOString();

/** Mean stars to 2 decimals, from the integer sum and count; 0 without reviews. */
export function averageOf(sum: number, count: number): number {
  return count === 0 ? 0 : Math.round((sum * 100) / count) / 100;
}

/** A product's rating as shoppers see it; zeros when nobody reviewed it. */
export function toRating(productId: string, row: ProductRatingRow | null): ProductRating {
  return {
    productId,
    average: row ? averageOf(row.rating_sum, row.rating_count) : 0,
    count: row?.rating_count ?? 0,
    histogram: {
      '1': row?.stars_1 ?? 0,
      '2': row?.stars_2 ?? 0,
      '3': row?.stars_3 ?? 0,
      '4': row?.stars_4 ?? 0,
      '5': row?.stars_5 ?? 0,
    },
  };
}

export function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    productId: row.product_id,
    rating: row.rating,
    title: row.title,
    body: row.body,
    status: row.status,
    helpfulCount: row.helpful_count,
    reply:
      row.reply_body === null || row.replied_at === null
        ? null
        : { body: row.reply_body, repliedAt: iso(row.replied_at) },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toStaffReview(row: ReviewRow): StaffReview {
  return { ...toReview(row), customerId: row.customer_id };
}
