import type { ShippingMethod, ShippingRateTier } from '../schemas/methods.js';
import type { ShippingZone } from '../schemas/zones.js';
import type { MethodRow, RateRow, ZoneRow } from '../tables.js';

/** Rows as staff see them: ids, names, and money as amount plus currency. */

export function toRateTier(row: RateRow, currency: string): ShippingRateTier {
  return {
    id: row.id,
    methodId: row.method_id,
    maxWeightGrams: row.max_weight_grams,
    price: { amount: row.price, currency },
  };
}

export function toMethod(row: MethodRow, rates: RateRow[]): ShippingMethod {
  return {
    id: row.id,
    zoneId: row.zone_id,
    code: row.code,
    name: row.name,
    estimatedDays:
      row.min_days === null || row.max_days === null
        ? null
        : { minDays: row.min_days, maxDays: row.max_days },
    freeShippingThreshold:
      row.free_threshold === null ? null : { amount: row.free_threshold, currency: row.currency },
    rates: rates.map((rate) => toRateTier(rate, row.currency)),
  };
}

export function toZone(row: ZoneRow, countries: string[], methods: ShippingMethod[]): ShippingZone {
  return { id: row.id, name: row.name, countries, methods };
}
