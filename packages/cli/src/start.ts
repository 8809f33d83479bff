import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { catalogueIsEmpty, catalogueService } from '@shopstack/catalogue';
import {
  Conflict,
  loadConfig,
  startServer,
  stopOnSignals,
  storeDataDir,
  type Config,
  type RunningServer,
} from '@shopstack/kernel';
import { describeDatabaseTarget } from './database-target.js';
import { seedDemoCatalogue } from './seed-demo.js';
import { resolveServices } from './services.js';

/**
 * Outside production a missing staff token is generated for this run, so the owner can use the
 * staff API at once; production refuses to start without one (the configuration loader enforces it).
 */
function withStaffToken(config: Config): { config: Config; generatedToken?: string } {
  if (config.auth.adminToken || config.env === 'production') return { config };
  const token = randomBytes(24).toString('base64url');
  return { config: { ...config, auth: { ...config.auth, adminToken: token } }, generatedToken: token };
}

/** `shopstack start`: every configured service in one process, migrated, seeded when new, until Ctrl-C or SIGTERM. */
export async function startCommand(): Promise<void> {
  const { config, generatedToken } = withStaffToken(loadConfig());
  const services = resolveServices(config.services);

  const freshEmbedded = !config.database.url && !existsSync(storeDataDir(config));
  console.log(`Data: ${describeDatabaseTarget(config)}`);
  if (freshEmbedded)
    console.log('Creating the embedded database (first start only; this takes a few seconds)...');

  const server: RunningServer = await startServer({
    config,
    services,
    purpose: 'shopstack start',
    prepare: async (database) => {
      if (!config.seed.demo || !services.includes(catalogueService)) return;
      if (!(await catalogueIsEmpty(database))) return;
      console.log(`New store: seeding the demo catalogue with ${config.seed.products} products...`);
      try {
        await seedDemoCatalogue(database, config, { products: config.seed.products });
      } catch (err) {
        // Another process starting on the same new store seeded it first: its catalogue serves us too.
        if (!(err instanceof Conflict)) throw err;
        console.log('The catalogue was seeded by another process meanwhile.');
      }
    },
  });

  // Wrapping shutdown tells the person at the console what is happening while requests drain.
  stopOnSignals(
    {
      ...server,
      async shutdown(reason) {
        console.log('Stopping: finishing in-flight requests...');
        await server.shutdown(reason);
        console.log('Stopped.');
      },
    },
    config.server.shutdownTimeoutMs,
  );

  if (generatedToken) {
    console.log(`Staff API token for this run: ${generatedToken}`);
    console.log('  (set SHOPSTACK_ADMIN_TOKEN to choose a lasting one)');
  }
  const seconds = (performance.now() / 1000).toFixed(1);
  console.log(`Ready in ${seconds} s. API documentation: ${server.url}/api/openapi.json`);
  console.log(`ShopStack "${config.store.name}" listening on ${server.url} — press Ctrl-C to stop`);
}
