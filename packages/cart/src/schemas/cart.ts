import { Type, type Static } from '@sinclair/typebox';
import { CountryCode, Currency, Id, MinorUnits, Money, Sku, Timestamp } from '@shopstack/kernel';
import { CartToken, CartOrderRef, DiscountCode, RateBasisPoints, TaxClass } from './common.js';

export const Quantity = Type.Integer({ minimum: 1, maximum: 1000 });

export const CartParams = Type.Object({ id: Id }, { additionalProperties: false });
export const LineParams = Type.Object({ id: Id, lineId: Id }, { additionalProperties: false });

/** A guest proves a cart is theirs with this header; a customer with their access token. */
export const CartTokenHeaders = Type.Object({ 'x-cart-token': Type.Optional(CartToken) });

/**
 * A line to add: a variant by id or by SKU. A product (id or slug) may be named too; then the
 * variant must be one of its own.
 */
export const AddLineInput = Type.Object(
  {
    productId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 120,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'the product id or slug (optional; checked against the variant)',
      }),
    ),
    variantId: Type.Optional(Id),
    sku: Type.Optional(Sku),
    quantity: Quantity,
  },
  { additionalProperties: false },
);
export type AddLineInput = Static<typeof AddLineInput>;

export const ChangeLineInput = Type.Object({ quantity: Quantity }, { additionalProperties: false });
export type ChangeLineInput = Static<typeof ChangeLineInput>;

export const ApplyDiscountInput = Type.Object({ code: DiscountCode }, { additionalProperties: false });
export type ApplyDiscountInput = Static<typeof ApplyDiscountInput>;

export const SelectShippingInput = Type.Object(
  {
    country: CountryCode,
    methodCode: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      description: "the code of one of the shipping service's methods for the destination",
    }),
  },
  { additionalProperties: false },
);
export type SelectShippingInput = Static<typeof SelectShippingInput>;

/** The order a cart was checked out as, given by checkout once the order is paid. */
export const CompleteCartInput = Type.Object({ orderRef: CartOrderRef }, { additionalProperties: false });
export type CompleteCartInput = Static<typeof CompleteCartInput>;

const Notice = Type.Object(
  {
    code: Type.String({ description: 'out_of_stock, product_unavailable, shipping_method_unavailable, ...' }),
    message: Type.String(),
    lineId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const CartLine = Type.Object(
  {
    id: Id,
    productId: Id,
    variantId: Id,
    sku: Type.String(),
    name: Type.String({ description: 'Product name and variant title' }),
    quantity: Quantity,
    available: Type.Boolean({
      description: 'The product is on sale; an unavailable line counts for nothing',
    }),
    unitPrice: Money,
    taxClass: TaxClass,
    taxRateBasisPoints: RateBasisPoints,
    subtotal: MinorUnits,
    discount: MinorUnits,
    tax: MinorUnits,
    total: MinorUnits,
    weightGrams: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type CartLine = Static<typeof CartLine>;

export const CartDiscount = Type.Object(
  {
    code: Type.String(),
    kind: Type.Union([Type.Literal('percentage'), Type.Literal('fixed')]),
    value: Type.Integer({ minimum: 1 }),
    applicable: Type.Boolean({ description: 'Whether the code still applies to this cart (see notices)' }),
    amount: MinorUnits,
  },
  { additionalProperties: false },
);

export const CartShipping = Type.Object(
  {
    country: CountryCode,
    methodCode: Type.String(),
    name: Type.String(),
    price: MinorUnits,
    free: Type.Boolean(),
    taxRateBasisPoints: RateBasisPoints,
    tax: MinorUnits,
  },
  { additionalProperties: false },
);

export const CartTotals = Type.Object(
  {
    currency: Currency,
    pricesIncludeTax: Type.Boolean(),
    taxCountry: Type.Union([CountryCode, Type.Null()]),
    subtotal: MinorUnits,
    discount: MinorUnits,
    shipping: MinorUnits,
    tax: MinorUnits,
    total: MinorUnits,
  },
  { additionalProperties: false },
);
export type CartTotals = Static<typeof CartTotals>;

export const Cart = Type.Object(
  {
    id: Id,
    status: Type.Union([Type.Literal('active'), Type.Literal('completed')], {
      description: 'completed: checked out as an order; the cart takes no more changes',
    }),
    customerId: Type.Union([Type.String(), Type.Null()]),
    lines: Type.Array(CartLine),
    discount: Type.Union([CartDiscount, Type.Null()]),
    shipping: Type.Union([CartShipping, Type.Null()]),
    totals: CartTotals,
    itemCount: Type.Integer({ minimum: 0 }),
    weightGrams: Type.Integer({ minimum: 0 }),
    notices: Type.Array(Notice),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    expiresAt: Timestamp,
  },
  {
    additionalProperties: false,
    description:
      'Prices and totals come from the catalogue at the time of the answer; nothing a client sends sets them.',
  },
);
export type Cart = Static<typeof Cart>;

export const CreatedCart = Type.Object(
  {
    ...Cart.properties,
    token: Type.Union([CartToken, Type.Null()], {
      description: "A guest cart's secret, shown once: send it as X-Cart-Token. Null for a customer's cart",
    }),
  },
  { additionalProperties: false },
);
export type CreatedCart = Static<typeof CreatedCart>;

/** What shipping needs to price a cart. */
export const Parcel = Type.Object(
  {
    cartId: Id,
    currency: Currency,
    subtotal: Type.Integer({
      minimum: 0,
      description: 'Goods subtotal before discount, as prices are stated',
    }),
    discountedSubtotal: Type.Integer({ minimum: 0 }),
    weightGrams: Type.Integer({ minimum: 0 }),
    itemCount: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type Parcel = Static<typeof Parcel>;
