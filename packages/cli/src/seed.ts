import { InvalidInput, loadConfig, migrateAll, openDatabase } from '@shopstack/kernel';
import { catalogueIsEmpty, catalogueService, DEFAULT_SEED } from '@shopstack/catalogue';
import { describeDatabaseTarget } from './database-target.js';
import { seedDemoCatalogue } from './seed-demo.js';
import { resolveServices } from './services.js';

export interface SeedCommandOptions {
  products?: number;
  seed?: number;
  reset?: boolean;
}

/**
 * `shopstack seed`: fills an empty catalogue with generated products (migrating first, so it works on
 * a new store). A catalogue that already holds data is left alone unless --reset replaces it.
 */
export async function seedCommand(options: SeedCommandOptions): Promise<void> {
  const config = loadConfig();
  const services = resolveServices(config.services);
  if (!services.includes(catalogueService)) {
    throw new InvalidInput(
      'The catalogue service is not enabled in this store (config.services).',
      'services',
    );
  }
  const products = options.products ?? config.seed.products;
  console.log(`Data: ${describeDatabaseTarget(config)}`);
  const database = await openDatabase(config, { purpose: 'shopstack seed' });
  try {
    await migrateAll(database, services);
    if (!options.reset && !(await catalogueIsEmpty(database))) {
      throw new InvalidInput(
        `The catalogue of store "${config.store.id}" already holds data. Run "shopstack seed --reset" to replace it ` +
          '(this deletes every category, product, variant and reservation of the store).',
        'reset',
      );
    }
    await seedDemoCatalogue(database, config, {
      products,
      seed: options.seed ?? DEFAULT_SEED,
      replace: options.reset,
    });
  } finally {
    await database.close();
  }
}
