import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from '@shopstack/kernel';
import { Email, Order, ShippingAddress } from './order.js';

export const CheckoutInput = Type.Object(
  {
    cartId: Id,
    email: Email,
    shippingAddress: ShippingAddress,
    shippingMethodId: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      description: "A shipping method's id (or code) offered for the address's country",
    }),
    paymentToken: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'A card token from POST /api/payment/tokens',
    }),
    expectedTotal: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2_000_000_000,
        description:
          'The total the shopper was shown (minor units). When the cart now costs something else (a price changed), ' +
          'checkout stops with 409 price_changed and charges nothing.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CheckoutInput = Static<typeof CheckoutInput>;

export const CheckoutHeaders = Type.Object({
  'x-cart-token': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{43}$',
      description: "A guest cart's token (as for the cart's routes)",
    }),
  ),
});

export const CheckoutResult = Type.Object(
  {
    ...Order.properties,
    accessKey: Nullable(
      Type.String({
        description:
          "A guest's key to this order (GET /api/orders/{id}?key=...), shown once; null for a signed-in customer",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CheckoutResult = Static<typeof CheckoutResult>;
