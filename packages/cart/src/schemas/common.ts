import { Type, type Static } from '@sinclair/typebox';

/** Shapes shared by the cart's resources. */
export const Id = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'an identifier: letters, digits, _ and -',
});
export const Sku = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9._/-]+$',
  description: 'a SKU: letters, digits, and . _ / - (e.g. TEE-RED-M)',
});
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'an ISO 4217 code such as EUR' });
export const Country = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'an ISO 3166-1 alpha-2 country code such as DE',
});
export const TaxClass = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,31}$',
  description: 'a tax class: a lower-case letter, then up to 31 lower-case letters, digits, _ or -',
});
/** An amount of money in the currency's minor units (cents for EUR). */
export const MinorUnits = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
export const Money = Type.Object(
  { amount: MinorUnits, currency: Currency },
  { additionalProperties: false, description: 'Integer minor units plus an ISO 4217 currency' },
);
export type Money = Static<typeof Money>;
export const RateBasisPoints = Type.Integer({
  minimum: 0,
  maximum: 10_000,
  description: 'a rate in basis points: 1900 is 19%',
});

/** The secret of a guest cart: 32 random bytes, base64url. */
export const CartToken = Type.String({
  pattern: '^[A-Za-z0-9_-]{43}$',
  description: 'the token returned when the guest cart was created (43 characters, base64url)',
});

/** The reference of an order a discount is redeemed for; the idempotency key of redeeming. */
export const OrderRef = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:-]+$',
  description: 'Reference of the order the discount is used for; repeating it never counts twice',
});

export const DiscountCode = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'a discount code: letters, digits, _ and - (matched without regard to case)',
});

export const Timestamp = Type.String({ format: 'date-time' });
