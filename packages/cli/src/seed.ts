import { buildApp, loadConfig, migrateAll, openDatabase, type Config } from '@shopstack/kernel';
import { describeDatabaseTarget } from './database-target.js';
import { consoleSeedOptions } from './seed-demo.js';
import { knownServices, resolveServices } from './services.js';

export interface SeedCommandOptions {
  products?: number;
  seed?: number;
  reset?: boolean;
}

/**
 * `shopstack seed`: fills the enabled services of an empty store with demo data (migrating first,
 * so it works on a new store). A service that already holds data refuses unless --reset replaces it.
 */
export async function seedCommand(options: SeedCommandOptions): Promise<void> {
  const config = loadConfig();
  const services = resolveServices(config.services);
  console.log(`Data: ${describeDatabaseTarget(config)}`);
  const database = await openDatabase(config, { purpose: 'shopstack seed' });
  const seed = consoleSeedOptions({
    products: options.products ?? config.seed.products,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    reset: options.reset ?? false,
  });
  try {
    await migrateAll(database, services);
    const shop = await buildApp({ config, database, services, known: knownServices });
    try {
      await shop.services.seed(seed);
    } finally {
      seed.done();
      await shop.app.close();
    }
  } finally {
    await database.close();
  }
}

/**
 * Migrates a store's database and, given seed options, fills it with demo data (a new platform
 * store: `shopstack store create --seed`).
 */
export async function seedStoreDatabase(config: Config, seedWith?: { products: number }): Promise<void> {
  const services = resolveServices(config.services);
  const database = await openDatabase(config, { purpose: 'shopstack store create' });
  const seed = seedWith ? consoleSeedOptions({ products: seedWith.products, ifEmpty: true }) : undefined;
  try {
    await migrateAll(database, services);
    if (!seed) return;
    const shop = await buildApp({ config, database, services, known: knownServices });
    try {
      await shop.services.seed(seed);
    } finally {
      await shop.app.close();
    }
  } finally {
    seed?.done();
    await database.close();
  }
}
