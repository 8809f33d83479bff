import { Type, type Static } from '@sinclair/typebox';
import { Nullable, postalAddressFields, Sku, Timestamp } from '@shopstack/kernel';
import { Id } from './common.js';
import { MethodCode } from './methods.js';

/** Shipments of orders, as staff and the services that fulfil and show orders read them. */

/** The id of an order (a lower-case UUID the orders service gave). */
const OrderId = Type.String({
  minLength: 36,
  maxLength: 36,
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'the id of an order, a lower-case UUID',
});

export const ShipmentStatus = Type.Union(
  ['pending', 'label_created', 'in_transit', 'delivered', 'cancelled'].map((s) => Type.Literal(s)),
  { description: 'pending -> label_created -> in_transit -> delivered; cancelled before it is in transit' },
);

export const ShipmentAddress = Type.Object(postalAddressFields, { additionalProperties: false });
export type ShipmentAddress = Static<typeof ShipmentAddress>;

export const ShipmentItem = Type.Object(
  {
    sku: Sku,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  { additionalProperties: false },
);
export type ShipmentItem = Static<typeof ShipmentItem>;

/** What dispatch (or staff) sends to ship an order; one shipment per order however often it is sent. */
export const CreateShipmentInput = Type.Object(
  {
    orderId: OrderId,
    customerId: Nullable(Type.String({ minLength: 1, maxLength: 128 })),
    /** The method the customer chose (standard when not given). */
    methodCode: Type.Optional(MethodCode),
    address: ShipmentAddress,
    items: Type.Array(ShipmentItem, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type CreateShipmentInput = Static<typeof CreateShipmentInput>;

export const TrackingEvent = Type.Object(
  {
    status: ShipmentStatus,
    description: Type.String(),
    occurredAt: Timestamp,
  },
  { additionalProperties: false },
);
export type TrackingEvent = Static<typeof TrackingEvent>;

export const Shipment = Type.Object(
  {
    id: Id,
    orderId: Type.String(),
    customerId: Nullable(Type.String()),
    method: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
    carrier: Type.String(),
    trackingNumber: Type.String(),
    status: ShipmentStatus,
    address: ShipmentAddress,
    items: Type.Array(ShipmentItem),
    nextStepAt: Nullable(Timestamp),
    trackingEvents: Type.Array(TrackingEvent, { description: 'Oldest first' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type Shipment = Static<typeof Shipment>;

export const ShipmentList = Type.Object({ items: Type.Array(Shipment) }, { additionalProperties: false });
export type ShipmentList = Static<typeof ShipmentList>;

export const ShipmentParams = Type.Object({ shipmentId: Id }, { additionalProperties: false });

export const OrderShipmentParams = Type.Object({ orderId: OrderId }, { additionalProperties: false });

export const ShipmentsQuery = Type.Object(
  {
    status: Type.Optional(ShipmentStatus),
    orderId: Type.Optional(OrderId),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
export type ShipmentsQuery = Static<typeof ShipmentsQuery>;
