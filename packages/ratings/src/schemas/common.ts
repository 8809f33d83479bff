import { Type } from '@sinclair/typebox';

/** Shapes shared by the ratings resources. */

/** An id a service made (a lower-case UUID), stricter than the kernel's Id. */
const uuidAs = (description: string) =>
  Type.String({
    minLength: 36,
    maxLength: 36,
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    description,
  });

/** A product's id as the catalogue gives it. */
export const ProductId = uuidAs("a product's id, as the catalogue gave it (a lower-case UUID)");

/** The id of a review. */
export const ReviewId = uuidAs('an id this service gave, a lower-case UUID');

export const Stars = Type.Integer({ minimum: 1, maximum: 5, description: 'Stars, 1 to 5' });

export const PageLimit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });

export const Cursor = Type.String({
  minLength: 1,
  maxLength: 512,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'nextCursor of the previous page',
});

export const ProductParams = Type.Object({ productId: ProductId }, { additionalProperties: false });
export const ReviewParams = Type.Object({ id: ReviewId }, { additionalProperties: false });
