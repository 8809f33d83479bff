import { sql, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { MethodRow, RateRow, ShippingTables } from '../tables.js';

export type NewMethod = Omit<MethodRow, 'created_at' | 'updated_at'>;
export type MethodChanges = Partial<Omit<NewMethod, 'id' | 'zone_id' | 'currency'>>;
export type NewRate = Omit<RateRow, 'created_at' | 'updated_at'>;
export type RateChanges = Partial<Pick<NewRate, 'max_weight_grams' | 'price'>>;

/** A tier with the currency of its method (a tier's price is in its method's currency). */
export type PricedRateRow = RateRow & { currency: string };

/** All SQL of shipping methods and their rate tiers; queries join the context's open transaction. */
export class MethodRepository {
  constructor(
    private readonly uow: UnitOfWork<ShippingTables>,
    private readonly schema: string,
  ) {}

  private q(ctx: RequestContext): Kysely<ShippingTables> {
    return this.uow.db(ctx).withSchema(this.schema);
  }

  async findMethod(ctx: RequestContext, id: string): Promise<MethodRow | null> {
    return (
      (await this.q(ctx).selectFrom('methods').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    );
  }

  /** The methods of the given zones, by code. */
  async methodsOf(ctx: RequestContext, zoneIds: string[]): Promise<MethodRow[]> {
    if (!zoneIds.length) return [];
    return this.q(ctx)
      .selectFrom('methods')
      .selectAll()
      .where('zone_id', 'in', zoneIds)
      .orderBy('code')
      .orderBy('id')
      .execute();
  }

  /** The tiers of the given methods, lightest first and the unbounded tier last. */
  async ratesOf(ctx: RequestContext, methodIds: string[]): Promise<RateRow[]> {
    if (!methodIds.length) return [];
    return this.q(ctx)
      .selectFrom('rates')
      .selectAll()
      .where('method_id', 'in', methodIds)
      .orderBy('method_id')
      .orderBy(sql`max_weight_grams asc nulls last`)
      .execute();
  }

  async insertMethod(ctx: RequestContext, method: NewMethod): Promise<void> {
    await this.q(ctx).insertInto('methods').values(method).execute();
  }

  async updateMethod(ctx: RequestContext, id: string, changes: MethodChanges): Promise<void> {
    await this.q(ctx)
      .updateTable('methods')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async deleteMethod(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.q(ctx).deleteFrom('methods').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async insertRates(ctx: RequestContext, rates: NewRate[]): Promise<void> {
    if (rates.length) await this.q(ctx).insertInto('rates').values(rates).execute();
  }

  async findRate(ctx: RequestContext, id: string): Promise<PricedRateRow | null> {
    const row = await this.q(ctx)
      .selectFrom('rates as r')
      .innerJoin('methods as m', 'm.id', 'r.method_id')
      .selectAll('r')
      .select('m.currency')
      .where('r.id', '=', id)
      .executeTakeFirst();
    return row ?? null;
  }

  async updateRate(ctx: RequestContext, id: string, changes: RateChanges): Promise<void> {
    await this.q(ctx)
      .updateTable('rates')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async deleteRate(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.q(ctx).deleteFrom('rates').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
