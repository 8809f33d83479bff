import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { BearerAuthenticator } from './auth.js';
import type { Cache } from './cache.js';
import type { Config } from './config.js';
import type { RequestContext, StoreInfo } from './context.js';
import type { Database } from './database.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { ServiceMigration } from './migrations.js';
import type { EventEnvelope, Outbox } from './outbox.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * The typed clients of every service, by name. Each service package adds its own entry:
 *
 *     declare module '@shopstack/kernel' { interface ServiceClients { catalogue: CatalogueClient } }
 *
 * so `clients.get('catalogue')` is a CatalogueClient, and a name nobody declared does not compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceClients {}

/** The name of a service that declared its client. */
export type ServiceName = keyof ServiceClients & string;

/** Clients of the other services, in-process or over HTTP; the caller cannot tell which. */
export interface ClientRegistry {
  /** The client of a service this one declared in `dependsOn` (or any service, for the platform itself). */
  get<K extends ServiceName>(service: K): ServiceClients[K];
  has(service: ServiceName): boolean;
}

/** What the kernel gives a service when it is mounted in a process; `TTables` types its schema. */
export interface ServiceRuntime<TTables = unknown> {
  readonly name: string;
  /** The Postgres schema this service owns; all its SQL runs there. */
  readonly schema: string;
  readonly config: Config;
  readonly store: StoreInfo;
  readonly database: Database;
  /** The database, typed with this service's tables (queries still name the schema). */
  readonly db: Kysely<TTables>;
  /** Transactions bound to the request context; repositories join the open one. */
  readonly uow: UnitOfWork<TTables>;
  /** This service's outbox: events written in the same transaction as the change they announce. */
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly cache: Cache;
  readonly metrics: Metrics;
  readonly clients: ClientRegistry;
}

/** How a demo store is filled: what `shopstack start` (new store) and `shopstack seed` ask of each service. */
export interface SeedOptions {
  /** How many demo products (the catalogue's measure of a store's size). */
  products: number;
  /** Seed of generators: the same seed gives the same data. */
  seed?: number;
  /** Replace what the service holds. */
  reset?: boolean;
  /**
   * Seed only a service that holds nothing yet, silently leaving one with data alone (a new store's
   * start); without it, a service that holds data refuses unless `reset` (`shopstack seed`).
   */
  ifEmpty?: boolean;
  /** Where a seed reports progress and what it created (the CLI prints it). */
  report: (message: string) => void;
  progress?: (label: string, done: number, total: number) => void;
}

/**
 * A ShopStack service, defined once: its migrations, its domain API (which is also its in-process
 * client), its HTTP routes (mounted at /api/<name>) and a client that reaches it over HTTP.
 */
export interface ServiceDefinition<TApi = unknown, TClient = unknown, TTables = unknown> {
  readonly name: string;
  readonly description: string;
  /** Services this one calls; start-up fails naming any that is neither mounted nor given a URL. */
  readonly dependsOn?: readonly ServiceName[];
  readonly migrations: Record<string, ServiceMigration>;
  create(runtime: ServiceRuntime<TTables>): TApi;
  routes: FastifyPluginAsync<{ runtime: ServiceRuntime<TTables>; api: TApi }>;
  /**
   * Runs once the service is created and before the process serves: loads what it keeps in memory,
   * starts background work. The process does not start if it fails.
   */
  start?(api: TApi, runtime: ServiceRuntime<TTables>): Promise<void>;
  /** Runs when the process closes, after it stopped taking requests: ends what start() began. */
  stop?(api: TApi): Promise<void>;
  /**
   * Fills a new demo store with this service's demo data, after every service started. Must leave a
   * service that already holds data alone unless `reset`; runs as the service itself.
   */
  seed?(
    api: TApi,
    ctx: RequestContext,
    options: SeedOptions,
    runtime: ServiceRuntime<TTables>,
  ): Promise<void>;
  /** What this service does when other services' events arrive (see EventConsumer). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly consumers?: readonly EventConsumer<TApi, TTables, any>[];
  /** Bearer tokens this service issues and every service of the process accepts (users' access tokens). */
  authenticator?(api: TApi, runtime: ServiceRuntime<TTables>): BearerAuthenticator;
  /** The same, for processes that reach this service over HTTP (verifying against its published keys). */
  remoteAuthenticator?(options: { baseUrl: string; config: Config }): BearerAuthenticator;
  /** The typed client other services use: the in-process API narrowed to the client interface. */
  inProcessClient(api: TApi): TClient;
  httpClient(options: HttpClientOptions): TClient;
}

/**
 * A handler of events of other services (or its own), delivered at least once by the bus. The
 * kernel runs `handle` inside a transaction of the consuming service (ctx carries it) and writes,
 * in that same transaction, the record that this consumer processed the event: what the handler
 * writes through ctx happens exactly once however often the event is delivered. Throwing rolls
 * back and retries later with growing delays; after events.maxAttempts attempts the event is
 * dead-lettered (`shopstack events dlq`).
 *
 * Calls to other services belong in `prepare`, which runs first, outside any transaction (on the
 * embedded database a call made while a transaction is open would wait for it to end), and is
 * skipped for an event already processed. Those calls may be repeated after a crash, so they must
 * be idempotent (keyed by the order, say); what they answered reaches `handle` as `prepared`.
 */
export interface EventConsumer<TApi = unknown, TTables = unknown, TPrepared = undefined> {
  /** Unique among the store's consumers, `<service>.<purpose>` in kebab-case: names its queue. */
  readonly name: string;
  /** Event types it handles (`OrderPaid`); no other type reaches it. */
  readonly events: readonly string[];
  prepare?(
    api: TApi,
    ctx: RequestContext,
    event: EventEnvelope,
    runtime: ServiceRuntime<TTables>,
  ): Promise<TPrepared>;
  handle(
    api: TApi,
    ctx: RequestContext,
    event: EventEnvelope,
    runtime: ServiceRuntime<TTables>,
    ...prepared: undefined extends TPrepared ? [prepared?: TPrepared] : [prepared: TPrepared]
  ): Promise<void>;
}

export interface HttpClientOptions {
  /** Base URL of the process serving the service, e.g. http://catalogue:8080 */
  baseUrl: string;
  /** The credential of one call: a short-lived service token carrying the call's actor. */
  credential?: (ctx: RequestContext) => Promise<string>;
  timeoutMs?: number;
}

/** Identity helper that keeps the generic parameters of a service definition. */
export function defineService<TApi, TClient, TTables = unknown>(
  definition: ServiceDefinition<TApi, TClient, TTables>,
): ServiceDefinition<TApi, TClient, TTables> {
  return definition;
}
