import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Cache } from './cache.js';
import type { Config } from './config.js';
import type { StoreInfo } from './context.js';
import type { Database } from './database.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { ServiceMigration } from './migrations.js';

/** Clients of the other services, in-process or over HTTP; the caller cannot tell which. */
export interface ClientRegistry {
  get<T>(service: string): T;
  has(service: string): boolean;
}

/** What the kernel gives a service when it is mounted in a process. */
export interface ServiceRuntime {
  readonly name: string;
  /** The Postgres schema this service owns; all its SQL runs there. */
  readonly schema: string;
  readonly config: Config;
  readonly store: StoreInfo;
  readonly database: Database;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly logger: Logger;
  readonly cache: Cache;
  readonly metrics: Metrics;
  readonly clients: ClientRegistry;
}

/**
 * A ShopStack service, defined once: its migrations, its domain API (which is also its in-process
 * client), its HTTP routes (mounted at /api/<name>) and a client that reaches it over HTTP.
 */
export interface ServiceDefinition<TApi = unknown, TClient = unknown> {
  readonly name: string;
  readonly description: string;
  readonly migrations: Record<string, ServiceMigration>;
  create(runtime: ServiceRuntime): TApi;
  routes: FastifyPluginAsync<{ runtime: ServiceRuntime; api: TApi }>;
  /**
   * Runs once the service is created and before the process serves: loads what it keeps in memory,
   * starts background work. The process does not start if it fails.
   */
  start?(api: TApi, runtime: ServiceRuntime): Promise<void>;
  /** Runs when the process closes, after it stopped taking requests: ends what start() began. */
  stop?(api: TApi): Promise<void>;
  /** The typed client other services use: the in-process API narrowed to the client interface. */
  inProcessClient(api: TApi): TClient;
  httpClient(options: HttpClientOptions): TClient;
}

export interface HttpClientOptions {
  /** Base URL of the process serving the service, e.g. http://catalogue:8080 */
  baseUrl: string;
  /** Staff/service token sent as a bearer token. */
  token?: string;
  timeoutMs?: number;
}

/** Identity helper that keeps the generic parameters of a service definition. */
export function defineService<TApi, TClient>(
  definition: ServiceDefinition<TApi, TClient>,
): ServiceDefinition<TApi, TClient> {
  return definition;
}
