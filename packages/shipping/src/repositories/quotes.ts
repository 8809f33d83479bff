import { sql, type Kysely } from 'kysely';
import type { ShippingTables } from '../tables.js';

/** A method that reaches a country, with the tier that prices a parcel's weight. */
export interface PricedMethodRow {
  method_id: string;
  code: string;
  name: string;
  min_days: number | null;
  max_days: number | null;
  free_threshold: number | null;
  price: number;
}

/** One weight tier of a method that reaches a country (null maximum: no limit). */
export interface MethodTierRow extends PricedMethodRow {
  max_weight_grams: number | null;
}

/** The one query of quotes: read-only, so it runs on the pool. */
export class QuoteRepository {
  constructor(
    private readonly db: Kysely<ShippingTables>,
    private readonly schema: string,
  ) {}

  /**
   * Every tier of every method of the country's zone (in the given currency), by method and then
   * lightest first, the unbounded tier last: what quotes for any weight to that country are made of.
   */
  async methodTiers(country: string, currency: string): Promise<MethodTierRow[]> {
    return this.db
      .withSchema(this.schema)
      .selectFrom('zone_countries as c')
      .innerJoin('methods as m', 'm.zone_id', 'c.zone_id')
      .innerJoin('rates as r', 'r.method_id', 'm.id')
      .select([
        'm.id as method_id',
        'm.code',
        'm.name',
        'm.min_days',
        'm.max_days',
        'm.free_threshold',
        'r.max_weight_grams',
        'r.price',
      ])
      .where('c.country', '=', country)
      .where('m.currency', '=', currency)
      .orderBy('m.id')
      .orderBy(sql`r.max_weight_grams asc nulls last`)
      .execute();
  }
}
