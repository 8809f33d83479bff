import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import type { FastifyPluginAsync } from 'fastify';
import { buildApp, type AnyService, type ShopApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './database.js';
import { createLogger, type Logger } from './logger.js';
import { migrateService, type MigrationOutcome } from './migrations.js';
import type { SeedOptions } from './service.js';
import { checkServiceWiring } from './wiring.js';

/** Runs every service's pending migrations, in the order given. */
export async function migrateAll(database: Database, services: AnyService[]): Promise<MigrationOutcome[]> {
  const outcomes: MigrationOutcome[] = [];
  for (const service of services) outcomes.push(await migrateService(database, service));
  return outcomes;
}

export interface StartServerOptions {
  config: Config;
  services: AnyService[];
  logger?: Logger;
  database?: Database;
  /** Definitions of services this process may reach over HTTP when their URL is configured. */
  known?: readonly AnyService[];
  /** Fill a new store with demo data (each service's seed hook) before listening. */
  seed?: SeedOptions;
  /** Extra plugins registered after the services. */
  plugins?: FastifyPluginAsync[];
  /** Who opens the store (recorded in the embedded database's lock), e.g. "shopstack start". */
  purpose?: string;
}

export interface RunningServer {
  shop: ShopApp;
  url: string;
  logger: Logger;
  /** Drains and stops: readiness fails at once, in-flight requests finish, then the database closes. */
  shutdown(reason?: string): Promise<void>;
}

/** Opens the database, migrates, builds the app and listens on the configured host and port. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  checkServiceWiring(config, options.services, options.known ?? []);
  const logger = options.logger ?? createLogger(config);
  let onCrash = (err: Error) => logger.fatal({ err }, 'the embedded database stopped');
  const database =
    options.database ??
    (await openDatabase(config, { purpose: options.purpose, onEmbeddedCrash: (err) => onCrash(err) }));
  let shop: ShopApp;
  try {
    const outcomes = await migrateAll(database, options.services);
    for (const o of outcomes)
      if (o.applied.length) logger.info({ service: o.service, applied: o.applied }, 'migrations applied');
    shop = await buildApp({
      config,
      database,
      services: options.services,
      known: options.known,
      seed: options.seed,
      logger,
      plugins: options.plugins,
    });
    await shop.app.listen({ host: config.server.host, port: config.server.port });
  } catch (err) {
    await database.close();
    throw err;
  }
  const address = shop.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;

  let stopping: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown') => {
    stopping ??= (async () => {
      logger.info({ reason }, 'draining: readiness now fails, in-flight requests finish');
      shop.health.shuttingDown = true;
      if (config.server.drainDelayMs > 0) await sleep(config.server.drainDelayMs);
      await shop.app.close();
      await database.close();
      logger.info('stopped');
    })();
    return stopping;
  };
  // Without its database the process can serve nothing: stop, so a supervisor starts it again.
  onCrash = (err) => {
    logger.fatal({ err }, 'the embedded database stopped: shutting down');
    process.exitCode = 1;
    void shutdown('database stopped');
  };
  return { shop, url, logger, shutdown };
}

/** Shuts the server down gracefully on SIGINT/SIGTERM, forcing exit after the shutdown timeout. */
export function stopOnSignals(server: RunningServer, timeoutMs: number): void {
  closeWithGrace({ delay: timeoutMs }, async ({ signal, err }) => {
    if (err) server.logger.error({ err }, 'fatal error, shutting down');
    await server.shutdown(signal ?? 'error');
  });
}
