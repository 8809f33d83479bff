import type { Generated, Selectable } from 'kysely';

/** Row types of the shipping schema (see migrations/). */
export interface ZoneTable {
  id: string;
  name: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A country is its own key here, so it belongs to one zone at most whatever writes race. */
export interface ZoneCountryTable {
  country: string;
  zone_id: string;
}

export interface MethodTable {
  id: string;
  zone_id: string;
  code: string;
  name: string;
  min_days: number | null;
  max_days: number | null;
  free_threshold: number | null;
  /** The currency of the method's tier prices and free-shipping threshold: the store's when written. */
  currency: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RateTable {
  id: string;
  method_id: string;
  /** Heaviest parcel (grams, inclusive) the tier prices; null: no upper bound. */
  max_weight_grams: number | null;
  price: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** pending -> label_created -> in_transit -> delivered; pending or label_created -> cancelled. */
export type ShipmentStatus = 'pending' | 'label_created' | 'in_transit' | 'delivered' | 'cancelled';

export interface ShipmentTable {
  id: string;
  order_id: string;
  customer_id: string | null;
  method_code: string;
  method_name: string;
  carrier: string;
  tracking_number: string;
  status: ShipmentStatus;
  address: unknown;
  items: unknown;
  /** When the carrier moves the shipment on; null when it has no step left. */
  next_step_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TrackingEventTable {
  id: string;
  shipment_id: string;
  status: ShipmentStatus;
  description: string;
  occurred_at: Generated<Date>;
}

export interface ShippingTables {
  zones: ZoneTable;
  zone_countries: ZoneCountryTable;
  methods: MethodTable;
  rates: RateTable;
  shipments: ShipmentTable;
  tracking_events: TrackingEventTable;
}

export type ZoneRow = Selectable<ZoneTable>;
export type MethodRow = Selectable<MethodTable>;
export type RateRow = Selectable<RateTable>;
export type ShipmentRow = Selectable<ShipmentTable>;
export type TrackingEventRow = Selectable<TrackingEventTable>;
