import { Type, type Static } from '@sinclair/typebox';
import { Id, orderRefAs, Sku } from '@shopstack/kernel';
import { PublicAvailability } from './common.js';

/** The caller's reference for a reservation (an order id or checkout id); the idempotency key of reserving. */
export const OrderRef = orderRefAs(
  'Reference of the order the stock is held for; repeating it never reserves twice',
);

export const ReservationQuantity = Type.Integer({ minimum: 1, maximum: 1_000_000 });

/** One line of a reservation request; the same SKU may appear more than once (the lines are merged). */
export const ReservationLineInput = Type.Object(
  { sku: Sku, quantity: ReservationQuantity },
  { additionalProperties: false },
);
export type ReservationLineInput = Static<typeof ReservationLineInput>;

/** Seconds a reservation holds its units before it gives them back by itself, at most a day. */
export const HoldSeconds = Type.Integer({
  minimum: 1,
  maximum: 86_400,
  description:
    "Seconds the units are held unless committed or released first (the store's catalogue.reservationHoldMinutes when absent)",
});

export const ReserveStockInput = Type.Object(
  {
    orderRef: OrderRef,
    lines: Type.Array(ReservationLineInput, { minItems: 1, maxItems: 200 }),
    holdSeconds: Type.Optional(HoldSeconds),
  },
  { additionalProperties: false },
);
export type ReserveStockInput = Static<typeof ReserveStockInput>;

export const ReservationStatus = Type.Union([
  Type.Literal('reserved'),
  Type.Literal('released'),
  Type.Literal('committed'),
  Type.Literal('restocked'),
]);
export type ReservationStatus = Static<typeof ReservationStatus>;

export const ReservationLine = Type.Object({ sku: Sku, quantity: ReservationQuantity });

/** A reservation as it stands: its lines (merged, sorted by SKU) and where it is in its life. */
export const ReservationResult = Type.Object({
  orderRef: OrderRef,
  status: ReservationStatus,
  lines: Type.Array(ReservationLine),
});
export type ReservationResult = Static<typeof ReservationResult>;

export const OrderRefParams = Type.Object({ orderRef: OrderRef }, { additionalProperties: false });
export const SkuParams = Type.Object({ sku: Sku }, { additionalProperties: false });

/** On hand and on hold: the full picture staff see. */
export const StockLevel = Type.Object({
  sku: Sku,
  onHand: Type.Integer({ minimum: 0 }),
  reserved: Type.Integer({ minimum: 0 }),
  available: Type.Integer({ minimum: 0 }),
  inStock: Type.Boolean(),
});
export type StockLevel = Static<typeof StockLevel>;

export const LowStockQuery = Type.Object(
  {
    below: Type.Integer({
      minimum: 1,
      maximum: 1_000_000_000,
      default: 5,
      description: 'Variants with fewer units available than this',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);
export type LowStockQuery = Static<typeof LowStockQuery>;

/** A variant running low, with the product it belongs to. */
export const LowStockItem = Type.Object(
  {
    variantId: Id,
    productId: Id,
    productName: Type.String(),
    productStatus: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
    sku: Sku,
    title: Type.String(),
    onHand: Type.Integer({ minimum: 0 }),
    reserved: Type.Integer({ minimum: 0 }),
    available: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const LowStockList = Type.Object({ items: Type.Array(LowStockItem) }, { additionalProperties: false });
export type LowStockList = Static<typeof LowStockList>;

/** What shoppers may know about a SKU's stock: see PublicAvailability. */
export const PublicStock = Type.Object({ sku: Sku, ...PublicAvailability.properties });
export type PublicStock = Static<typeof PublicStock>;

/** How another service names a variant: by SKU or by id, exactly one of them. */
export const VariantLookupQuery = Type.Object(
  {
    sku: Type.Optional(Sku),
    variantId: Type.Optional(Id),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);
export type VariantLookupQuery = Static<typeof VariantLookupQuery>;
