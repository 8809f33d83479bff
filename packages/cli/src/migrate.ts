import { loadConfig, migrateAll, openDatabase } from '@shopstack/kernel';
import { describeDatabaseTarget } from './database-target.js';
import { resolveServices } from './services.js';

/** `shopstack migrate`: applies every configured service's pending migrations and reports them. */
export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const services = resolveServices(config.services);
  console.log(`Data: ${describeDatabaseTarget(config)}`);
  const database = await openDatabase(config, { purpose: 'shopstack migrate' });
  try {
    for (const outcome of await migrateAll(database, services)) {
      console.log(
        outcome.applied.length
          ? `${outcome.service}: applied ${outcome.applied.join(', ')}`
          : `${outcome.service}: up to date`,
      );
    }
  } finally {
    await database.close();
  }
}
