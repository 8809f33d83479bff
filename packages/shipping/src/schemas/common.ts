import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Shapes shared by the shipping resources. */

/** The id of a zone, method or rate tier (a UUID the service made). */
export const Id = Type.String({
  minLength: 36,
  maxLength: 36,
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'an id this service gave, a lower-case UUID',
});

export const Country = Type.String({
  minLength: 2,
  maxLength: 2,
  pattern: '^[A-Z]{2}$',
  description: 'an ISO 3166-1 alpha-2 country code in capitals, such as DE',
});

export const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'an ISO 4217 currency code such as EUR',
});

/** An amount of money in the currency's minor units (cents for EUR). */
export const MinorUnits = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });

/** An amount of money, described for the place it is used in. */
export const moneyAs = (description: string) =>
  Type.Object({ amount: MinorUnits, currency: Currency }, { additionalProperties: false, description });

export const Money = moneyAs('Integer minor units plus an ISO 4217 currency');
export type Money = Static<typeof Money>;

/** How long delivery takes, in working days; min never above max. */
export const DeliveryEstimate = Type.Object(
  {
    minDays: Type.Integer({ minimum: 0, maximum: 365 }),
    maxDays: Type.Integer({ minimum: 0, maximum: 365 }),
  },
  { additionalProperties: false, description: 'Delivery in minDays to maxDays working days' },
);
export type DeliveryEstimate = Static<typeof DeliveryEstimate>;

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
