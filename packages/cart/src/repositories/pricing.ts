import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { CartTables } from '../tables.js';

export interface TaxRateRow {
  country: string;
  tax_class: string;
  rate_basis_points: number;
}

export interface SettingsRow {
  prices_include_tax: boolean;
  default_country: string | null;
}

/** All SQL of the store's pricing settings and tax rates. */
export class PricingRepository {
  constructor(
    private readonly uow: UnitOfWork<CartTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): PricingRepository {
    return new PricingRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<CartTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  async settings(): Promise<SettingsRow> {
    return this.q
      .selectFrom('pricing_settings')
      .select(['prices_include_tax', 'default_country'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
  }

  async putSettings(settings: SettingsRow): Promise<SettingsRow> {
    return this.q
      .updateTable('pricing_settings')
      .set({ ...settings, updated_at: sql`now()` })
      .where('id', '=', 1)
      .returning(['prices_include_tax', 'default_country'])
      .executeTakeFirstOrThrow();
  }

  async rates(): Promise<TaxRateRow[]> {
    return this.q
      .selectFrom('tax_rates')
      .select(['country', 'tax_class', 'rate_basis_points'])
      .orderBy('country')
      .orderBy('tax_class')
      .execute();
  }

  /** Replaces every rate of a country (run inside a transaction). */
  async replaceRates(country: string, rates: Array<{ tax_class: string; rate_basis_points: number }>) {
    await this.q.deleteFrom('tax_rates').where('country', '=', country).execute();
    await this.q
      .insertInto('tax_rates')
      .values(rates.map((rate) => ({ country, ...rate })))
      .execute();
  }
}
