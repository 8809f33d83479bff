import { existsSync } from 'node:fs';
import {
  checkServiceWiring,
  loadConfig,
  startServer,
  stopOnSignals,
  embeddedDatabaseDir,
  type RunningServer,
} from '@shopstack/kernel';
import { describeDatabaseTarget } from './database-target.js';
import { consoleSeedOptions } from './seed-demo.js';
import { knownServices, resolveServices } from './services.js';
import { webApps } from './web-apps.js';

/** `shopstack start`: every configured service in one process, migrated, seeded when new, until Ctrl-C or SIGTERM. */
export async function startCommand(options: { dev?: boolean } = {}): Promise<void> {
  const config = loadConfig();
  const services = resolveServices(config.services);
  checkServiceWiring(config, services, knownServices);

  const freshEmbedded = !config.database.url && !existsSync(embeddedDatabaseDir(config));
  console.log(`Data: ${describeDatabaseTarget(config)}`);
  if (freshEmbedded)
    console.log('Creating the embedded database (first start only; this takes a few seconds)...');

  // A new store gets each enabled service's demo data (products, the first staff account, ...).
  const seed = config.seed.demo
    ? consoleSeedOptions({ products: config.seed.products, ifEmpty: true })
    : undefined;
  let server: RunningServer;
  try {
    server = await startServer({
      config,
      services,
      known: knownServices,
      purpose: 'shopstack start',
      seed,
      plugins: webApps(config, { dev: options.dev ?? false }),
    });
  } finally {
    seed?.done();
  }

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

  const seconds = (performance.now() / 1000).toFixed(1);
  console.log(`Ready in ${seconds} s. API documentation: ${server.url}/api/openapi.json`);
  console.log(`ShopStack "${config.store.name}" listening on ${server.url} — press Ctrl-C to stop`);
}
