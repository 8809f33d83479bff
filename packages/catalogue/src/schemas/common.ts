import { Type, type Static } from '@sinclair/typebox';
import { ProblemSchema } from '@shopstack/kernel';

/** Shapes shared by several catalogue resources. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Slug = Type.String({ minLength: 1, maxLength: 120, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' });
export const Sku = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._/-]+$' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code' });
/** An amount of money in the currency's minor units (cents for EUR). */
export const MinorUnits = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });

export const Money = Type.Object(
  { amount: MinorUnits, currency: Currency },
  { additionalProperties: false, description: 'Integer minor units plus an ISO 4217 currency' },
);
export type Money = Static<typeof Money>;

export const Image = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: 2048 }), alt: Type.String({ maxLength: 300 }) },
  { additionalProperties: false },
);

export const ProductOptionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    values: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

/** Variant attributes, e.g. { "size": "M", "colour": "Red" }. */
export const Attributes = Type.Record(
  Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z][a-z0-9_-]*$' }),
  Type.String({ minLength: 1, maxLength: 100 }),
  { maxProperties: 20 },
);

export const ProductStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('published'),
  Type.Literal('archived'),
]);

/** Problem responses for the given status codes, for route schemas (documentation only). */
export function problems(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}

export const staffSecurity = [{ staffToken: [] as string[] }];
