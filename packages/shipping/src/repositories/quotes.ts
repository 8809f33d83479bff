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

/** The one query of a quote: read-only, so it runs on the pool. */
export class QuoteRepository {
  constructor(
    private readonly db: Kysely<ShippingTables>,
    private readonly schema: string,
  ) {}

  /**
   * Each method of the country's zone (in the given currency) with its lightest tier that still
   * takes the weight: the first tier whose maximum is at least the weight, else the unbounded
   * tier. A method none of whose tiers takes the weight is left out.
   */
  async pricedMethods(country: string, weightGrams: number, currency: string): Promise<PricedMethodRow[]> {
    return this.db
      .withSchema(this.schema)
      .selectFrom('zone_countries as c')
      .innerJoin('methods as m', 'm.zone_id', 'c.zone_id')
      .innerJoin('rates as r', 'r.method_id', 'm.id')
      .distinctOn('m.id')
      .select([
        'm.id as method_id',
        'm.code',
        'm.name',
        'm.min_days',
        'm.max_days',
        'm.free_threshold',
        'r.price',
      ])
      .where('c.country', '=', country)
      .where('m.currency', '=', currency)
      .where((eb) =>
        eb.or([eb('r.max_weight_grams', 'is', null), eb('r.max_weight_grams', '>=', weightGrams)]),
      )
      .orderBy('m.id')
      .orderBy(sql`r.max_weight_grams asc nulls last`)
      .execute();
  }
}
