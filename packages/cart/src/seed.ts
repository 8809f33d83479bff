import { InvalidInput, type RequestContext, type SeedOptions } from '@shopstack/kernel';
import type { CartApi } from './api.js';

/** Standard VAT of a few EU countries, in basis points, for the demo store. */
const DEMO_RATES: ReadonlyArray<[country: string, standard: number, reduced: number]> = [
  ['DE', 1900, 700],
  ['AT', 2000, 1000],
  ['FR', 2000, 550],
  ['NL', 2100, 900],
  ['BE', 2100, 600],
  ['IT', 2200, 1000],
  ['ES', 2100, 1000],
];

const WELCOME_CODE = 'WELCOME10';

/**
 * The cart's part of a demo store: prices that include VAT (as shops in the EU show them), German
 * VAT while a cart has no destination, the rates of a few EU countries, and a welcome code (10%
 * off from 20.00, once per customer). Left alone when the store already has rates or codes, unless
 * `reset`, which puts the demo settings and rates back and adds the code if it is missing.
 */
export async function seedDemoCart(api: CartApi, ctx: RequestContext, options: SeedOptions): Promise<void> {
  // The platform seeds as the store's administrator would.
  const staff: RequestContext = { ...ctx, actor: { kind: 'staff', id: 'seed', role: 'admin' } };
  const hasRates = (await api.taxes.listRates(staff)).length > 0;
  const hasCodes = (await api.discounts.list(staff)).length > 0;
  if ((hasRates || hasCodes) && !options.reset) {
    if (options.ifEmpty) return;
    throw new InvalidInput(
      'The store already has tax rates or discount codes. Run "shopstack seed --reset" to put the demo ones back.',
      'reset',
    );
  }
  await api.taxes.putSettings(staff, { pricesIncludeTax: true, defaultCountry: 'DE' });
  for (const [country, standard, reduced] of DEMO_RATES) {
    await api.taxes.putCountryRates(staff, country, {
      rates: [
        { taxClass: 'standard', rateBasisPoints: standard },
        { taxClass: 'reduced', rateBasisPoints: reduced },
      ],
    });
  }
  const codes = await api.discounts.list(staff);
  if (!codes.some((code) => code.code === WELCOME_CODE)) {
    await api.discounts.create(staff, {
      code: WELCOME_CODE,
      kind: 'percentage',
      value: 1000,
      minimumSubtotal: 2000,
      perCustomerLimit: 1,
    });
  }
  options.report(
    `Cart: prices include VAT, ${DEMO_RATES.length} countries' rates, discount code ${WELCOME_CODE} (10% from 20.00)`,
  );
}
