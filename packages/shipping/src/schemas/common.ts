import { Type, type Static } from '@sinclair/typebox';

/** Shapes shared by the shipping resources (money comes from the kernel). */

/** The id of a zone, method or rate tier (a UUID the service made), stricter than the kernel's Id. */
export const Id = Type.String({
  minLength: 36,
  maxLength: 36,
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'an id this service gave, a lower-case UUID',
});

/** The kernel's CountryCode plus explicit length bounds, which this service's documents and length errors state. */
export const Country = Type.String({
  minLength: 2,
  maxLength: 2,
  pattern: '^[A-Z]{2}$',
  description: 'an ISO 3166-1 alpha-2 country code in capitals, such as DE',
});

/** How long delivery takes, in working days; min never above max. */
export const DeliveryEstimate = Type.Object(
  {
    minDays: Type.Integer({ minimum: 0, maximum: 365 }),
    maxDays: Type.Integer({ minimum: 0, maximum: 365 }),
  },
  { additionalProperties: false, description: 'Delivery in minDays to maxDays working days' },
);
export type DeliveryEstimate = Static<typeof DeliveryEstimate>;
