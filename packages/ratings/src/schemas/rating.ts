import { Type, type Static } from '@sinclair/typebox';

/** How many visible reviews gave each number of stars. */
export const StarHistogram = Type.Object(
  {
    '1': Type.Integer({ minimum: 0 }),
    '2': Type.Integer({ minimum: 0 }),
    '3': Type.Integer({ minimum: 0 }),
    '4': Type.Integer({ minimum: 0 }),
    '5': Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type StarHistogram = Static<typeof StarHistogram>;

/** A product's rating over its visible reviews; zeros for a product nobody reviewed. */
export const ProductRating = Type.Object(
  {
    productId: Type.String(),
    average: Type.Number({
      minimum: 0,
      maximum: 5,
      description: 'Mean stars, to 2 decimals; 0 without reviews',
    }),
    count: Type.Integer({ minimum: 0 }),
    histogram: StarHistogram,
  },
  { additionalProperties: false },
);
export type ProductRating = Static<typeof ProductRating>;

/** What ProductRatingChanged carries: the rating as it is after the change, and the change's number. */
export interface ProductRatingChanged {
  productId: string;
  average: number;
  count: number;
  /** Counts the product's rating changes: a consumer keeps the highest it saw and drops older ones. */
  seq: number;
}
