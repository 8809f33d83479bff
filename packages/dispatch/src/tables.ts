import type { Generated, Selectable } from 'kysely';

/** Row types of the dispatch schema (see migrations/). */

/**
 * Where the fulfilment of an order stands: started (the paid order was taken on), shipment_created,
 * fulfilling (the order says so), shipped, delivered; stopped when the order was cancelled first.
 */
export type FulfilmentStatus =
  'started' | 'shipment_created' | 'fulfilling' | 'shipped' | 'delivered' | 'stopped';

export interface FulfilmentTable {
  order_id: string;
  status: FulfilmentStatus;
  shipment_id: string | null;
  tracking_number: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Every step dispatch took (or could not take) for an order, in order. */
export interface FulfilmentStepTable {
  id: string;
  order_id: string;
  step: string;
  detail: string;
  occurred_at: Date;
}

export interface DispatchTables {
  fulfilments: FulfilmentTable;
  fulfilment_steps: FulfilmentStepTable;
}

export type FulfilmentRow = Selectable<FulfilmentTable>;
export type FulfilmentStepRow = Selectable<FulfilmentStepTable>;
