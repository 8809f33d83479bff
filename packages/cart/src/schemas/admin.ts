import { Type, type Static } from '@sinclair/typebox';
import { CountryCode, Id, MinorUnits, Timestamp } from '@shopstack/kernel';
import { DiscountCode, OrderRef, RateBasisPoints, TaxClass } from './common.js';

export const CountryParams = Type.Object({ country: CountryCode }, { additionalProperties: false });

export const TaxRateEntry = Type.Object(
  { taxClass: TaxClass, rateBasisPoints: RateBasisPoints },
  { additionalProperties: false },
);

/** All rates of one country; `standard` is required (it also taxes shipping). */
export const PutTaxRatesInput = Type.Object(
  {
    rates: Type.Array(TaxRateEntry, {
      minItems: 1,
      maxItems: 20,
      description: 'Every tax class of the country, standard among them; replaces what the country had',
    }),
  },
  { additionalProperties: false },
);
export type PutTaxRatesInput = Static<typeof PutTaxRatesInput>;

export const CountryTaxRates = Type.Object(
  { country: CountryCode, rates: Type.Array(TaxRateEntry) },
  { additionalProperties: false },
);
export type CountryTaxRates = Static<typeof CountryTaxRates>;

export const TaxRateList = Type.Object(
  { items: Type.Array(CountryTaxRates) },
  { additionalProperties: false },
);

export const PricingSettings = Type.Object(
  {
    pricesIncludeTax: Type.Boolean({ description: 'Catalogue prices include tax (gross) or not (net)' }),
    defaultCountry: Type.Union([CountryCode, Type.Null()], {
      description: 'Whose tax rates apply while a cart has no destination',
    }),
  },
  { additionalProperties: false },
);
export type PricingSettings = Static<typeof PricingSettings>;

const DiscountKind = Type.Union([Type.Literal('percentage'), Type.Literal('fixed')], {
  description: 'percentage (value in basis points of the goods subtotal) or fixed (value in minor units)',
});
const Limit = Type.Integer({ minimum: 1, maximum: 100_000_000 });
const Value = Type.Integer({
  minimum: 1,
  maximum: 2_000_000_000,
  description: 'Basis points for a percentage (at most 10000), minor units for a fixed amount',
});

export const CreateDiscountInput = Type.Object(
  {
    code: DiscountCode,
    kind: DiscountKind,
    value: Value,
    minimumSubtotal: Type.Optional(MinorUnits),
    startsAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    endsAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    usageLimit: Type.Optional(Type.Union([Limit, Type.Null()])),
    perCustomerLimit: Type.Optional(Type.Union([Limit, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateDiscountInput = Static<typeof CreateDiscountInput>;

export const UpdateDiscountInput = Type.Object(
  {
    value: Type.Optional(Value),
    minimumSubtotal: Type.Optional(MinorUnits),
    startsAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    endsAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    usageLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()])),
    perCustomerLimit: Type.Optional(Type.Union([Limit, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDiscountInput = Static<typeof UpdateDiscountInput>;

export const Discount = Type.Object(
  {
    id: Id,
    code: Type.String(),
    kind: DiscountKind,
    value: Type.Integer(),
    minimumSubtotal: MinorUnits,
    startsAt: Type.Union([Timestamp, Type.Null()]),
    endsAt: Type.Union([Timestamp, Type.Null()]),
    usageLimit: Type.Union([Type.Integer(), Type.Null()]),
    perCustomerLimit: Type.Union([Type.Integer(), Type.Null()]),
    used: Type.Integer({ minimum: 0 }),
    active: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type Discount = Static<typeof Discount>;

export const DiscountList = Type.Object({ items: Type.Array(Discount) }, { additionalProperties: false });
export const DiscountParams = Type.Object({ id: Id }, { additionalProperties: false });

export const RedeemDiscountInput = Type.Object(
  {
    code: DiscountCode,
    orderRef: OrderRef,
    customerId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type RedeemDiscountInput = Static<typeof RedeemDiscountInput>;

export const Redemption = Type.Object(
  {
    orderRef: OrderRef,
    code: Type.String(),
    discountId: Id,
    customerId: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('redeemed'), Type.Literal('released')]),
    redeemedAt: Timestamp,
    releasedAt: Type.Union([Timestamp, Type.Null()]),
  },
  { additionalProperties: false },
);
export type Redemption = Static<typeof Redemption>;

export const OrderRefParams = Type.Object({ orderRef: OrderRef }, { additionalProperties: false });
