import {
  assertInput,
  authorize,
  InvalidInput,
  STAFF,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { PricingRepository } from '../repositories/pricing.js';
import {
  PricingSettings,
  PutTaxRatesInput,
  type CountryTaxRates,
  type PricingSettings as Settings,
} from '../schemas/admin.js';
import type { CartTables } from '../tables.js';

/** Cache namespace of the pricing snapshot; every process drops it when staff change a setting or rate. */
const NAMESPACE = 'cart-pricing';

export const STANDARD_CLASS = 'standard';

/** Settings and every tax rate, as one read of the cart needs them. */
export interface PricingSnapshot {
  pricesIncludeTax: boolean;
  defaultCountry: string | null;
  /** country -> tax class -> basis points */
  rates: Record<string, Record<string, number>>;
}

/**
 * The rate of a tax class in a country: the class's own rate, else the country's standard rate,
 * else 0 (a country without rates is not taxed). No country: 0.
 */
export function rateFor(snapshot: PricingSnapshot, country: string | null, taxClass: string): number {
  if (country === null) return 0;
  const classes = snapshot.rates[country];
  return classes?.[taxClass] ?? classes?.[STANDARD_CLASS] ?? 0;
}

/** Whether prices include tax, the default country, and tax rates per country and class (staff-managed). */
export class TaxSettingsService {
  private readonly repo: PricingRepository;

  constructor(private readonly runtime: ServiceRuntime<CartTables>) {
    this.repo = new PricingRepository(runtime.uow, runtime.schema);
  }

  /** The current settings and rates, cached: every cart read needs them and they rarely change. */
  async snapshot(_ctx: RequestContext): Promise<PricingSnapshot> {
    const json = await this.runtime.cache.wrap(NAMESPACE, 'snapshot', async () => {
      const [settings, rates] = await Promise.all([this.repo.settings(), this.repo.rates()]);
      const byCountry: PricingSnapshot['rates'] = {};
      for (const rate of rates) {
        (byCountry[rate.country] ??= {})[rate.tax_class] = rate.rate_basis_points;
      }
      const snapshot: PricingSnapshot = {
        pricesIncludeTax: settings.prices_include_tax,
        defaultCountry: settings.default_country,
        rates: byCountry,
      };
      return JSON.stringify(snapshot);
    });
    return JSON.parse(json) as PricingSnapshot;
  }

  async getSettings(ctx: RequestContext): Promise<Settings> {
    authorize(ctx, STAFF, 'see pricing settings');
    const row = await this.repo.settings();
    return { pricesIncludeTax: row.prices_include_tax, defaultCountry: row.default_country };
  }

  async putSettings(ctx: RequestContext, input: Settings): Promise<Settings> {
    authorize(ctx, STAFF, 'change pricing settings');
    assertInput(PricingSettings, input);
    const row = await this.repo.putSettings({
      prices_include_tax: input.pricesIncludeTax,
      default_country: input.defaultCountry,
    });
    this.runtime.cache.invalidate(NAMESPACE);
    ctx.log.info({ pricesIncludeTax: row.prices_include_tax }, 'pricing settings changed');
    return { pricesIncludeTax: row.prices_include_tax, defaultCountry: row.default_country };
  }

  async listRates(ctx: RequestContext): Promise<CountryTaxRates[]> {
    authorize(ctx, STAFF, 'see tax rates');
    const byCountry = new Map<string, CountryTaxRates>();
    for (const row of await this.repo.rates()) {
      const entry = byCountry.get(row.country) ?? { country: row.country, rates: [] };
      entry.rates.push({ taxClass: row.tax_class, rateBasisPoints: row.rate_basis_points });
      byCountry.set(row.country, entry);
    }
    return [...byCountry.values()];
  }

  /** Replaces a country's rates; `standard` must be among them, each class once. */
  async putCountryRates(
    ctx: RequestContext,
    country: string,
    input: PutTaxRatesInput,
  ): Promise<CountryTaxRates> {
    authorize(ctx, STAFF, 'change tax rates');
    assertInput(PutTaxRatesInput, input);
    if (!/^[A-Z]{2}$/.test(country))
      throw new InvalidInput('country must be an ISO 3166-1 alpha-2 code', 'country');
    const classes = input.rates.map((r) => r.taxClass);
    const twice = classes.find((c, i) => classes.indexOf(c) !== i);
    if (twice) {
      throw new InvalidInput(`Tax class ${twice} is given twice.`, 'rates', { code: 'tax_class_repeated' });
    }
    if (!classes.includes(STANDARD_CLASS)) {
      throw new InvalidInput('Every country needs a standard rate.', 'rates', {
        code: 'standard_rate_required',
      });
    }
    await this.runtime.uow.transaction(ctx, (txCtx) =>
      this.repo.in(txCtx).replaceRates(
        country,
        input.rates.map((r) => ({ tax_class: r.taxClass, rate_basis_points: r.rateBasisPoints })),
      ),
    );
    this.runtime.cache.invalidate(NAMESPACE);
    ctx.log.info({ country }, 'tax rates changed');
    return { country, rates: [...input.rates].sort((a, b) => (a.taxClass < b.taxClass ? -1 : 1)) };
  }
}
