import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp } from '@shopstack/kernel';
import { Cursor, PageLimit, ProductId, Stars } from './common.js';

/*
 * Reviews as customers write them and as shoppers and staff read them. Who wrote a review, its
 * status, votes and the staff reply are the server's: a body naming one is refused.
 */

const Title = Type.String({ minLength: 1, maxLength: 120 });
const Body = Type.String({ minLength: 1, maxLength: 5000 });

export const CreateReviewInput = Type.Object(
  { rating: Stars, title: Title, body: Body },
  { additionalProperties: false },
);
export type CreateReviewInput = Static<typeof CreateReviewInput>;

export const UpdateReviewInput = Type.Partial(CreateReviewInput, {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateReviewInput = Static<typeof UpdateReviewInput>;

export const ReplyInput = Type.Object({ body: Body }, { additionalProperties: false });
export type ReplyInput = Static<typeof ReplyInput>;

export const ReviewReply = Type.Object(
  { body: Type.String(), repliedAt: Timestamp },
  { additionalProperties: false, description: "The shop's answer to the review" },
);

export const ReviewStatus = Type.Union([Type.Literal('visible'), Type.Literal('hidden')], {
  description: 'hidden: staff took it out of listings and ratings',
});

/** A review as shoppers and its author see it. */
export const Review = Type.Object(
  {
    id: Type.String(),
    productId: Type.String(),
    rating: Type.Integer(),
    title: Type.String(),
    body: Type.String(),
    status: ReviewStatus,
    helpfulCount: Type.Integer({ minimum: 0 }),
    reply: Nullable(ReviewReply),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type Review = Static<typeof Review>;

/** A review as staff see it: with its author. */
export const StaffReview = Type.Object(
  { ...Review.properties, customerId: Type.String() },
  { additionalProperties: false },
);
export type StaffReview = Static<typeof StaffReview>;

export const ReviewSort = Type.Union([Type.Literal('newest'), Type.Literal('helpful')], {
  default: 'newest',
  description: 'newest first, or most helpful first (newest among equals)',
});
export type ReviewSort = Static<typeof ReviewSort>;

export const ReviewListQuery = Type.Object(
  { sort: Type.Optional(ReviewSort), limit: Type.Optional(PageLimit), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type ReviewListQuery = Static<typeof ReviewListQuery>;

export const StaffReviewListQuery = Type.Object(
  {
    status: Type.Optional(ReviewStatus),
    productId: Type.Optional(ProductId),
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type StaffReviewListQuery = Static<typeof StaffReviewListQuery>;

export const ReviewPage = Type.Object(
  {
    items: Type.Array(Review),
    nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last' })),
  },
  { additionalProperties: false },
);
export type ReviewPage = Static<typeof ReviewPage>;

export const StaffReviewPage = Type.Object(
  { items: Type.Array(StaffReview), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false },
);
export type StaffReviewPage = Static<typeof StaffReviewPage>;

/** The outcome of a helpful vote: voting again changes nothing and answers the same. */
export const HelpfulVote = Type.Object(
  {
    reviewId: Type.String(),
    helpfulCount: Type.Integer({ minimum: 0 }),
    counted: Type.Boolean({ description: 'false when this customer had already voted (nothing changed)' }),
  },
  { additionalProperties: false },
);
export type HelpfulVote = Static<typeof HelpfulVote>;
