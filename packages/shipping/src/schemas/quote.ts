import { Type, type Static } from '@sinclair/typebox';
import { Money, moneyAs } from '@shopstack/kernel';
import { Country, DeliveryEstimate } from './common.js';

/** What shoppers (and the cart) ask of shipping: the methods that reach a destination, priced. */

export const CartId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'the id of a cart',
});

export const CartQuoteQuery = Type.Object(
  { cartId: CartId, country: Country },
  { additionalProperties: false },
);
export type CartQuoteQuery = Static<typeof CartQuoteQuery>;

/** A guest's cart is theirs by the token they were given with it; other headers pass untouched. */
export const CartQuoteHeaders = Type.Object({
  'x-cart-token': Type.Optional(
    Type.String({ minLength: 1, maxLength: 512, description: "A guest's cart token" }),
  ),
});

export const ParcelInput = Type.Object(
  {
    country: Country,
    postalCode: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 20,
        pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*$',
        description: 'a postal code (zones are by country: it does not change the price yet)',
      }),
    ),
    weightGrams: Type.Integer({ minimum: 0, maximum: 2_000_000_000 }),
    subtotal: moneyAs('What the goods cost, in the store currency: it decides free shipping'),
  },
  { additionalProperties: false },
);
export type ParcelInput = Static<typeof ParcelInput>;

export const ShippingRateSchema = Type.Object(
  {
    methodId: Type.String(),
    code: Type.String(),
    name: Type.String(),
    price: Money,
    free: Type.Boolean({ description: "The subtotal reached the method's free-shipping threshold" }),
    estimatedDays: Type.Optional(DeliveryEstimate),
  },
  { additionalProperties: false },
);
/** A method that reaches the destination, with the price of the parcel and its delivery estimate. */
export type QuotedMethod = Static<typeof ShippingRateSchema>;

export const ShippingQuote = Type.Object(
  {
    cartId: Type.Optional(Type.String()),
    country: Type.String(),
    weightGrams: Type.Integer(),
    subtotal: Money,
    methods: Type.Array(ShippingRateSchema, {
      description:
        'Cheapest first; empty when the store does not ship to the country or the parcel is too heavy',
    }),
  },
  { additionalProperties: false },
);
export type ShippingQuote = Static<typeof ShippingQuote>;
