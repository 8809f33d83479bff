import { Type } from '@sinclair/typebox';
import { orderRefAs } from '@shopstack/kernel';

/** Shapes shared by the cart's resources (ids, SKUs, money and countries come from the kernel). */
export const TaxClass = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,31}$',
  description: 'a tax class: a lower-case letter, then up to 31 lower-case letters, digits, _ or -',
});
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
export const OrderRef = orderRefAs(
  'Reference of the order the discount is used for; repeating it never counts twice',
);

/** The reference of the order a cart was checked out as; completing again with it changes nothing. */
export const CartOrderRef = orderRefAs(
  'Reference of the order the cart was checked out as; completing again with it changes nothing',
);

export const DiscountCode = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'a discount code: letters, digits, _ and - (matched without regard to case)',
});
