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

export interface ShippingTables {
  zones: ZoneTable;
  zone_countries: ZoneCountryTable;
  methods: MethodTable;
  rates: RateTable;
}

export type ZoneRow = Selectable<ZoneTable>;
export type MethodRow = Selectable<MethodTable>;
export type RateRow = Selectable<RateTable>;
