import {
  InvalidInput,
  newId,
  type RequestContext,
  type SeedOptions,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { ShippingApi } from '../api.js';
import { EU_COUNTRIES, ISO_COUNTRIES } from '../countries.js';
import { MethodRepository } from '../repositories/methods.js';
import { ZoneRepository } from '../repositories/zones.js';
import { shippingChanged } from '../services/quotes.js';
import type { ShippingTables } from '../tables.js';

/** The demo store's home country: stores have no country of their own yet. */
export const DEMO_HOME_COUNTRY = 'DE';

interface DemoMethod {
  code: string;
  name: string;
  days: [number, number];
  freeFrom: number | null;
  /** [maxWeightGrams, price] in minor units of the store currency. */
  tiers: Array<[number | null, number]>;
}

interface DemoZone {
  name: string;
  countries: string[];
  methods: DemoMethod[];
}

/** Domestic, the rest of the EU, and the rest of the world; standard and express in each. */
export function demoShippingSetup(home = DEMO_HOME_COUNTRY): DemoZone[] {
  const eu = EU_COUNTRIES.filter((country) => country !== home);
  const elsewhere = [...ISO_COUNTRIES].filter((country) => country !== home && !eu.includes(country));
  return [
    {
      name: 'Domestic',
      countries: [home],
      methods: [
        {
          code: 'standard',
          name: 'Standard',
          days: [2, 3],
          freeFrom: 5_000,
          tiers: [
            [2_000, 490],
            [5_000, 690],
            [31_500, 1_290],
          ],
        },
        {
          code: 'express',
          name: 'Express',
          days: [1, 1],
          freeFrom: null,
          tiers: [
            [2_000, 990],
            [5_000, 1_490],
            [31_500, 2_490],
          ],
        },
      ],
    },
    {
      name: 'European Union',
      countries: eu,
      methods: [
        {
          code: 'standard',
          name: 'Standard',
          days: [3, 6],
          freeFrom: 10_000,
          tiers: [
            [2_000, 990],
            [5_000, 1_590],
            [20_000, 2_990],
          ],
        },
        {
          code: 'express',
          name: 'Express',
          days: [1, 3],
          freeFrom: null,
          tiers: [
            [2_000, 1_990],
            [5_000, 2_990],
            [20_000, 4_990],
          ],
        },
      ],
    },
    {
      name: 'Rest of the world',
      countries: elsewhere,
      methods: [
        {
          code: 'standard',
          name: 'Standard',
          days: [5, 15],
          freeFrom: 25_000,
          tiers: [
            [2_000, 1_990],
            [5_000, 3_490],
            [20_000, 5_990],
          ],
        },
        {
          code: 'express',
          name: 'Express',
          days: [2, 5],
          freeFrom: null,
          tiers: [
            [2_000, 3_990],
            [5_000, 5_990],
            [20_000, 9_990],
          ],
        },
      ],
    },
  ];
}

/**
 * The shipping part of a demo store. A store that already has zones is left alone on a new store's
 * start (`ifEmpty`) and refused otherwise unless `reset`, which replaces every zone. Written in one
 * transaction, so a failed seed leaves nothing half made.
 */
export async function seedDemoShipping(
  _api: ShippingApi,
  ctx: RequestContext,
  options: SeedOptions,
  runtime: ServiceRuntime<ShippingTables>,
): Promise<void> {
  const zones = new ZoneRepository(runtime.uow, runtime.schema);
  const methods = new MethodRepository(runtime.uow, runtime.schema);
  if (!options.reset && (await zones.hasZones(ctx))) {
    if (options.ifEmpty) return;
    throw new InvalidInput(
      `The shipping setup of store "${runtime.store.id}" already has zones. Run "shopstack seed --reset" to replace it ` +
        '(this deletes every zone, method and rate tier of the store).',
      'reset',
    );
  }
  const setup = demoShippingSetup();
  try {
    await runtime.uow.transaction(ctx, async (tx) => {
      if (options.reset) await zones.deleteAll(tx);
      for (const zone of setup) {
        const zoneId = newId();
        await zones.insertZone(tx, { id: zoneId, name: zone.name });
        await zones.replaceCountries(tx, zoneId, zone.countries);
        for (const method of zone.methods) {
          const methodId = newId();
          await methods.insertMethod(tx, {
            id: methodId,
            zone_id: zoneId,
            code: method.code,
            name: method.name,
            min_days: method.days[0],
            max_days: method.days[1],
            free_threshold: method.freeFrom,
            currency: runtime.store.currency,
          });
          await methods.insertRates(
            tx,
            method.tiers.map(([max, price]) => ({
              id: newId(),
              method_id: methodId,
              max_weight_grams: max,
              price,
            })),
          );
        }
      }
    });
  } catch (err) {
    // Another process starting on the same new store seeded it first: its setup serves us too.
    if ((err as { code?: unknown }).code !== '23505' || !options.ifEmpty) throw err;
    options.report('Shipping was seeded by another process meanwhile.');
    return;
  }
  shippingChanged(runtime);
  const methodCount = setup.reduce((sum, zone) => sum + zone.methods.length, 0);
  options.report(`Shipping: ${setup.length} zones, ${methodCount} methods`);
  ctx.log.info({ zones: setup.length, methods: methodCount }, 'demo shipping seeded');
}
