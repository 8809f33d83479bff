import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable, Timestamp } from '@shopstack/kernel';

export const FulfilmentStatus = Type.Union(
  ['started', 'shipment_created', 'fulfilling', 'shipped', 'delivered', 'stopped'].map((s) =>
    Type.Literal(s),
  ),
  {
    description:
      'started -> shipment_created -> fulfilling -> shipped -> delivered; stopped when the order was cancelled first',
  },
);

export const FulfilmentStep = Type.Object(
  {
    step: Type.String({ description: 'What dispatch did: started, shipment_created, order_fulfilling, ...' }),
    detail: Type.String(),
    occurredAt: Timestamp,
  },
  { additionalProperties: false },
);
export type FulfilmentStep = Static<typeof FulfilmentStep>;

const fulfilmentFields = {
  orderId: Type.String(),
  status: FulfilmentStatus,
  shipmentId: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const FulfilmentSummary = Type.Object(fulfilmentFields, { additionalProperties: false });
export type FulfilmentSummary = Static<typeof FulfilmentSummary>;

export const Fulfilment = Type.Object(
  { ...fulfilmentFields, steps: Type.Array(FulfilmentStep, { description: 'Oldest first' }) },
  { additionalProperties: false },
);
export type Fulfilment = Static<typeof Fulfilment>;

export const FulfilmentList = Type.Object(
  { items: Type.Array(FulfilmentSummary) },
  { additionalProperties: false },
);
export type FulfilmentList = Static<typeof FulfilmentList>;

export const FulfilmentParams = Type.Object({ orderId: Id }, { additionalProperties: false });

export const FulfilmentsQuery = Type.Object(
  {
    status: Type.Optional(FulfilmentStatus),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
export type FulfilmentsQuery = Static<typeof FulfilmentsQuery>;
