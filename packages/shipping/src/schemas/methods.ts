import { Type, type Static } from '@sinclair/typebox';
import { Money, moneyAs, Nullable } from '@shopstack/kernel';
import { DeliveryEstimate, Id } from './common.js';

/*
 * Staff inputs and views of methods and their rate tiers. A tier prices every parcel heavier than
 * the method's next lighter tier, up to and including its own maxWeightGrams; the tier without a
 * maximum prices everything heavier than the others. Parcels heavier than every tier get no price
 * from the method, and a method without tiers is offered for no parcel.
 */

const MaxWeightGrams = Type.Integer({ minimum: 1, maximum: 100_000_000 });

export const RateTierInput = Type.Object(
  {
    maxWeightGrams: Nullable(MaxWeightGrams),
    price: Money,
  },
  { additionalProperties: false },
);
export type RateTierInput = Static<typeof RateTierInput>;

export const UpdateRateInput = Type.Partial(RateTierInput, { additionalProperties: false, minProperties: 1 });
export type UpdateRateInput = Static<typeof UpdateRateInput>;

/** The code of a shipping method, unique in its zone. */
export const MethodCode = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: '^[a-z0-9]+(?:[-_][a-z0-9]+)*$',
  description: 'a code: lower-case letters and digits, words joined by - or _ (e.g. standard, express)',
});

const methodFields = {
  code: MethodCode,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  estimatedDays: Type.Optional(Nullable(DeliveryEstimate)),
  freeShippingThreshold: Type.Optional(
    Nullable(moneyAs('A subtotal at or above it ships for free; null: never free')),
  ),
};

export const CreateMethodInput = Type.Object(
  {
    ...methodFields,
    rates: Type.Optional(Type.Array(RateTierInput, { maxItems: 50, description: 'Weight tiers' })),
  },
  { additionalProperties: false },
);
export type CreateMethodInput = Static<typeof CreateMethodInput>;

/** Tiers are edited through their own routes, so an update carries the method's own fields only. */
export const UpdateMethodInput = Type.Partial(Type.Object(methodFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateMethodInput = Static<typeof UpdateMethodInput>;

export const MethodParams = Type.Object({ methodId: Id }, { additionalProperties: false });
export const RateParams = Type.Object({ rateId: Id }, { additionalProperties: false });

export const ShippingRateTier = Type.Object(
  {
    id: Type.String(),
    methodId: Type.String(),
    maxWeightGrams: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Heaviest parcel the tier prices, in grams (inclusive); null: no maximum',
    }),
    price: Money,
  },
  { additionalProperties: false },
);
export type ShippingRateTier = Static<typeof ShippingRateTier>;

export const ShippingMethod = Type.Object(
  {
    id: Type.String(),
    zoneId: Type.String(),
    code: Type.String(),
    name: Type.String(),
    estimatedDays: Nullable(DeliveryEstimate),
    freeShippingThreshold: Nullable(Money),
    rates: Type.Array(ShippingRateTier, { description: 'Lightest first; the tier without a maximum last' }),
  },
  { additionalProperties: false },
);
export type ShippingMethod = Static<typeof ShippingMethod>;

export const ShippingMethodList = Type.Object(
  { methods: Type.Array(ShippingMethod) },
  { additionalProperties: false },
);
export const ShippingRateTierList = Type.Object(
  { rates: Type.Array(ShippingRateTier) },
  { additionalProperties: false },
);
