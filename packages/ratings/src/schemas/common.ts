import { Type } from '@sinclair/typebox';
import { Id } from '@shopstack/kernel';

/** Shapes shared by the ratings resources. */

/** A product's id as the catalogue gives it. */
export const ProductId = Id;

/** The id of a review (a UUID this service made), stricter than the kernel's Id. */
export const ReviewId = Type.String({
  minLength: 36,
  maxLength: 36,
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'an id this service gave, a lower-case UUID',
});

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
