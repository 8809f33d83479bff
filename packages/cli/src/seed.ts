import { buildApp, loadConfig, migrateAll, openDatabase } from '@shopstack/kernel';
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
