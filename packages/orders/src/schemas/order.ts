import { Type, type Static } from '@sinclair/typebox';
import {
  Currency,
  Email,
  Id,
  MinorUnits,
  Nullable,
  postalAddressFields,
  Sku,
  Timestamp,
} from '@shopstack/kernel';

export { Email };

export const ShippingAddress = Type.Object(postalAddressFields, { additionalProperties: false });
export type ShippingAddress = Static<typeof ShippingAddress>;

export const OrderStatusSchema = Type.Union(
  ['pending', 'paid', 'fulfilling', 'shipped', 'delivered', 'cancelled', 'refunded'].map((s) =>
    Type.Literal(s),
  ),
  { description: 'pending -> paid -> fulfilling -> shipped -> delivered; or cancelled, refunded' },
);

export const OrderLine = Type.Object(
  {
    productId: Id,
    variantId: Id,
    sku: Type.String(),
    name: Type.String(),
    quantity: Type.Integer({ minimum: 1 }),
    unitPrice: MinorUnits,
    subtotal: MinorUnits,
    discount: MinorUnits,
    tax: MinorUnits,
    total: MinorUnits,
  },
  { additionalProperties: false },
);

export const TimelineEntry = Type.Object(
  {
    from: Nullable(Type.String()),
    to: Type.String(),
    at: Timestamp,
    actor: Type.Object(
      { kind: Type.String(), id: Nullable(Type.String()) },
      {
        additionalProperties: false,
        description: 'Who moved the order: customer, staff, service (checkout, recovery)',
      },
    ),
    note: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

/** A parcel of the order as its owner tracks it: who carries it, its tracking number and where it is. */
export const OrderShipment = Type.Object(
  {
    carrier: Type.String(),
    trackingNumber: Type.String(),
    status: Type.String({ description: 'pending, label_created, in_transit, delivered or cancelled' }),
    trackingEvents: Type.Array(
      Type.Object(
        { status: Type.String(), description: Type.String(), occurredAt: Timestamp },
        { additionalProperties: false },
      ),
      { description: 'Oldest first' },
    ),
  },
  { additionalProperties: false },
);
export type OrderShipment = Static<typeof OrderShipment>;

export const Order = Type.Object(
  {
    id: Id,
    number: Type.String({ description: 'What the customer quotes' }),
    status: Type.String({
      description: 'pending, paid, fulfilling, shipped, delivered, cancelled or refunded',
    }),
    customerId: Nullable(Type.String()),
    email: Type.String(),
    currency: Currency,
    lines: Type.Array(OrderLine),
    totals: Type.Object(
      {
        pricesIncludeTax: Type.Boolean(),
        subtotal: MinorUnits,
        discount: MinorUnits,
        shipping: MinorUnits,
        tax: MinorUnits,
        total: MinorUnits,
        refunded: MinorUnits,
      },
      { additionalProperties: false },
    ),
    discountCode: Nullable(Type.String()),
    shippingAddress: ShippingAddress,
    shippingMethod: Type.Object(
      { id: Type.String(), code: Type.String(), name: Type.String() },
      { additionalProperties: false },
    ),
    payment: Nullable(
      Type.Object(
        { intentId: Type.String(), cardBrand: Nullable(Type.String()), cardLast4: Nullable(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    settlementPending: Type.Boolean({
      description: 'A cancellation whose refund or restock is still being retried',
    }),
    timeline: Type.Array(TimelineEntry),
    shipments: Type.Optional(
      Type.Array(OrderShipment, {
        description:
          "The order's parcels with their tracking, as its owner reads the order ([] before it ships); left out " +
          'of answers that do not read them (checkout, staff actions) and while shipping cannot answer',
      }),
    ),
    placedAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type Order = Static<typeof Order>;

export const OrderParams = Type.Object({ id: Id }, { additionalProperties: false });

/** A guest reads their order with the key of the link they got at checkout. */
export const OrderAccessQuery = Type.Object(
  {
    key: Type.Optional(
      Type.String({
        minLength: 20,
        maxLength: 100,
        pattern: '^[A-Za-z0-9_-]+$',
        description: "The key of a guest's order link (given once, at checkout)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const OrderLookupInput = Type.Object(
  {
    number: Type.String({
      minLength: 1,
      maxLength: 20,
      pattern: '^[0-9]+$',
      description: 'the order number',
    }),
    email: Email,
  },
  { additionalProperties: false },
);
export type OrderLookupInput = Static<typeof OrderLookupInput>;

const Cursor = Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' });

export const MyOrdersQuery = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type MyOrdersQuery = Static<typeof MyOrdersQuery>;

export const StaffOrdersQuery = Type.Object(
  {
    status: Type.Optional(OrderStatusSchema),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 254,
        description: 'An order number, or (part of) an e-mail address',
      }),
    ),
    customerId: Type.Optional(Id),
    sku: Type.Optional(Sku),
    placedFrom: Type.Optional(Timestamp),
    placedTo: Type.Optional(Timestamp),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type StaffOrdersQuery = Static<typeof StaffOrdersQuery>;

export const OrderSummary = Type.Object(
  {
    id: Id,
    number: Type.String(),
    status: Type.String(),
    customerId: Nullable(Type.String()),
    email: Type.String(),
    currency: Currency,
    total: MinorUnits,
    refunded: MinorUnits,
    itemCount: Type.Integer({ minimum: 0 }),
    placedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type OrderSummary = Static<typeof OrderSummary>;

export const OrderList = Type.Object(
  { items: Type.Array(OrderSummary), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false },
);
export type OrderList = Static<typeof OrderList>;

const Note = Type.String({ minLength: 1, maxLength: 500 });

export const CancelOrderInput = Type.Object({ reason: Type.Optional(Note) }, { additionalProperties: false });
export type CancelOrderInput = Static<typeof CancelOrderInput>;

export const RefundOrderInput = Type.Object(
  {
    amount: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2_000_000_000,
        description: 'Minor units; the whole rest when left out',
      }),
    ),
    reason: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type RefundOrderInput = Static<typeof RefundOrderInput>;

export const FulfilmentInput = Type.Object(
  {
    status: Type.Union([Type.Literal('fulfilling'), Type.Literal('shipped'), Type.Literal('delivered')]),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type FulfilmentInput = Static<typeof FulfilmentInput>;
