import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Kysely } from 'kysely';
import {
  bearerToken,
  secretsEqual,
  SERVICE_NOT_PERMITTED,
  type Authentication,
  type BearerAuthenticator,
} from './auth.js';
import type { Cache } from './cache.js';
import { ConfigError, type Config } from './config.js';
import { serviceContext, type RequestContext, type StoreInfo } from './context.js';
import type { Database } from './database.js';
import { Forbidden, Unauthorized, UpstreamUnavailable } from './errors.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { EventBus } from './events/bus.js';
import { consumerHandler } from './events/consumers.js';
import type { RelayedOutbox } from './events/relay.js';
import { Outbox } from './outbox.js';
import type {
  ClientRegistry,
  SeedOptions,
  ServiceClients,
  ServiceDefinition,
  ServiceName,
  ServiceRuntime,
} from './service.js';
import { mintServiceToken, serviceTokenAuthenticator } from './service-token.js';
import { UnitOfWork } from './unit-of-work.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = ServiceDefinition<any, any, any>;

export interface WireServicesOptions {
  app: FastifyInstance;
  config: Config;
  database: Database;
  store: StoreInfo;
  logger: Logger;
  cache: Cache;
  metrics: Metrics;
  mounted: AnyDefinition[];
  known: readonly AnyDefinition[];
  /** The bus that delivers events to the mounted services' consumers. */
  bus: EventBus;
}

/** The services of one process, wired: their APIs, their clients, and the demo seed. */
export interface ServiceWiring {
  apis: Map<string, unknown>;
  /** Every reachable service's client, called as the platform itself (no calling service). */
  clients: ClientRegistry;
  /** Runs each mounted service's seed hook, in mount order. */
  seed(options: SeedOptions): Promise<void>;
  /** Verifies a bearer token addressed to a service (its audience) and says who presents it. */
  authenticate(token: string, audience: string): Promise<Authentication>;
  /** The outboxes of the mounted services (what this process's relay publishes). */
  outboxes: RelayedOutbox[];
}

interface Target {
  definition: AnyDefinition;
  /** The in-process client when the service is mounted here. */
  local?: unknown;
  url?: string;
}

/**
 * Passes the calling service's name with every in-process call, as the service token does over
 * HTTP, so the callee sees the same context either way. The callee never joins the caller's
 * transactions: over HTTP it could not.
 */
function bindCaller<T extends object>(client: T, caller: string, callee: string): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (ctx: RequestContext, ...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).call(
            target,
            { ...ctx, caller, transactions: undefined },
            ...args,
          );
        } catch (err) {
          throw beyondScope(err, caller, callee, ctx);
        }
      };
    },
  });
}

/**
 * A refusal of the calling service's scope is a fault of this deployment, not of the shopper: the
 * shopper gets 503 (as from the HTTP client), the log says which service asked for what.
 */
function beyondScope(err: unknown, caller: string, callee: string, ctx: RequestContext): unknown {
  if (!(err instanceof Forbidden) || err.details.code !== SERVICE_NOT_PERMITTED) return err;
  ctx.log.error({ service: callee, caller, reason: err.message }, 'a service refused what this one asked');
  return new UpstreamUnavailable(callee, `refused ${caller}: ${err.message}`, 403, err);
}

function missingDependency(service: string, dependency: string): ConfigError {
  return new ConfigError(
    `serviceUrls.${dependency}`,
    `Invalid configuration: service ${service} depends on ${dependency}, which is neither mounted in this process ` +
      `(services / SHOPSTACK_SERVICES) nor given a URL (serviceUrls.${dependency} / SHOPSTACK_${dependency.toUpperCase()}_URL)`,
  );
}

/**
 * Fails with a configuration error naming the setting to fix when a URL names no known service, or
 * a mounted service depends on one that is neither mounted nor given a URL. Runs before anything
 * touches the database, so a misconfigured process changes nothing.
 */
export function checkServiceWiring(
  config: Config,
  mounted: readonly AnyDefinition[],
  known: readonly AnyDefinition[],
): void {
  const names = new Set([...known, ...mounted].map((d) => d.name));
  const mountedNames = new Set(mounted.map((d) => d.name));
  for (const [name, url] of Object.entries(config.serviceUrls)) {
    if (!names.has(name)) {
      throw new ConfigError(
        `serviceUrls.${name}`,
        `Invalid configuration: serviceUrls.${name}: no service is called ${name} (got ${url})`,
      );
    }
  }
  for (const definition of mounted) {
    for (const dependency of definition.dependsOn ?? []) {
      if (!mountedNames.has(dependency) && !(names.has(dependency) && config.serviceUrls[dependency])) {
        throw missingDependency(definition.name, dependency);
      }
    }
  }
}

/**
 * Creates the mounted services, resolves every declared dependency to an in-process client (when
 * the service is mounted here) or an HTTP client (when its URL is configured) and fails start-up
 * naming any that is neither; authenticates bearer tokens for every service's routes; starts the
 * services and mounts their routes at /api/<name>.
 */
export async function wireServices(options: WireServicesOptions): Promise<ServiceWiring> {
  const { app, config, database, store, logger } = options;
  const targets = new Map<string, Target>();
  for (const definition of [...options.known, ...options.mounted]) {
    targets.set(definition.name, { definition, url: config.serviceUrls[definition.name] });
  }
  const mountedNames = new Set(options.mounted.map((d) => d.name));
  checkServiceWiring(config, options.mounted, options.known);

  const secret = config.auth.serviceSecret;
  const httpClients: Array<{ close?: () => Promise<void> }> = [];
  const remoteClient = (target: Target, caller: string): unknown => {
    const client = target.definition.httpClient({
      baseUrl: target.url!,
      ...(secret
        ? {
            credential: (ctx: RequestContext) =>
              mintServiceToken({ secret, storeId: store.id, caller, audience: target.definition.name }, ctx),
          }
        : {}),
    }) as { close?: () => Promise<void> };
    httpClients.push(client);
    return client;
  };
  app.addHook('onClose', async () => {
    await Promise.all(httpClients.map((client) => client.close?.()));
  });

  /** A registry as one service (or, without a caller, the platform) sees it. */
  const registry = (caller: string | undefined, allowed?: readonly string[]): ClientRegistry => {
    const resolved = new Map<string, unknown>();
    return {
      get<K extends ServiceName>(name: K): ServiceClients[K] {
        const known = resolved.get(name);
        if (known) return known as ServiceClients[K];
        if (allowed && !allowed.includes(name)) {
          throw new Error(`Service ${caller} calls ${name} without declaring it in dependsOn`);
        }
        const target = targets.get(name);
        let client: unknown;
        if (target?.local) client = caller ? bindCaller(target.local as object, caller, name) : target.local;
        else if (target?.url) client = remoteClient(target, caller ?? 'platform');
        else throw new Error(`Service ${name} is neither mounted in this process nor given a URL`);
        resolved.set(name, client);
        return client as ServiceClients[K];
      },
      has: (name) => Boolean(targets.get(name)?.local || targets.get(name)?.url),
    };
  };

  const apis = new Map<string, unknown>();
  const runtimes = new Map<string, ServiceRuntime<unknown>>();
  for (const definition of options.mounted) {
    const schema = database.schemaFor(definition.name);
    // The one place a service's table types meet the database: the kernel hands each its typed handle.
    const db = database.db as Kysely<unknown>;
    const uow = new UnitOfWork(db);
    const runtime: ServiceRuntime<unknown> = {
      name: definition.name,
      schema,
      config,
      store,
      database,
      db,
      uow,
      outbox: new Outbox(definition.name, schema, store.id, uow),
      logger: logger.child({ service: definition.name }),
      cache: options.cache,
      metrics: options.metrics,
      clients: registry(definition.name, definition.dependsOn ?? []),
    };
    const api = definition.create(runtime);
    apis.set(definition.name, api);
    runtimes.set(definition.name, runtime);
    targets.get(definition.name)!.local = definition.inProcessClient(api);
  }

  const authenticators: BearerAuthenticator[] = [serviceTokenAuthenticator(secret, store.id)];
  for (const definition of options.mounted) {
    if (definition.authenticator) {
      authenticators.push(
        definition.authenticator(apis.get(definition.name), runtimes.get(definition.name)!),
      );
    }
  }
  for (const target of targets.values()) {
    if (!mountedNames.has(target.definition.name) && target.url && target.definition.remoteAuthenticator) {
      authenticators.push(target.definition.remoteAuthenticator({ baseUrl: target.url, config }));
    }
  }
  authenticators.push(bootstrapAuthenticator(config.auth.adminToken));
  const authenticate = async (token: string, audience: string): Promise<Authentication> => {
    for (const authenticator of authenticators) {
      const found = await authenticator(token, audience);
      if (found) return found;
    }
    throw new Unauthorized('The bearer token is not valid.', { code: 'invalid_token' });
  };

  for (const definition of options.mounted) {
    const api = apis.get(definition.name);
    const runtime = runtimes.get(definition.name)!;
    if (definition.start) await definition.start(api, runtime);
    if (definition.stop) {
      const stop = definition.stop.bind(definition, api);
      app.addHook('onClose', async () => stop());
    }
    await app.register(definition.routes, { prefix: `/api/${definition.name}`, runtime, api });
    for (const consumer of definition.consumers ?? []) {
      options.bus.subscribe(
        { name: consumer.name, events: consumer.events, schema: runtime.schema },
        consumerHandler(consumer, api, runtime, options.metrics),
      );
    }
  }

  return {
    apis,
    authenticate,
    outboxes: options.mounted.map((d) => ({ service: d.name, schema: runtimes.get(d.name)!.schema })),
    clients: registry(undefined),
    async seed(seedOptions) {
      for (const definition of options.mounted) {
        if (!definition.seed) continue;
        const ctx = serviceContext(store, logger.child({ service: definition.name }), definition.name);
        await definition.seed(apis.get(definition.name), ctx, seedOptions, runtimes.get(definition.name)!);
      }
    },
  };
}

/**
 * The bootstrap credential (auth.adminToken): not a master key, only the service actor
 * `bootstrap`, which the users service lets create staff accounts and nothing else admits.
 */
function bootstrapAuthenticator(adminToken: string | undefined): BearerAuthenticator {
  return async (token) =>
    adminToken && secretsEqual(token, adminToken) ? { actor: { kind: 'service', name: 'bootstrap' } } : null;
}

/** The service a request is addressed to (/api/<service>/...), the audience its service token must name. */
function audienceOf(url: string): string {
  const match = /^\/api\/([a-z]+)(?:[/?]|$)/.exec(url);
  return match ? match[1]! : 'platform';
}

/**
 * An onRequest hook that reads the bearer token of a request, if any, into the request's actor,
 * the service that passed the call on, and its deadline. Requests without a token pay nothing.
 */
export function authenticationHook(authenticate: () => ServiceWiring['authenticate'] | undefined) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const header = request.headers.authorization;
    if (header === undefined) return done();
    const token = bearerToken(header);
    const verify = authenticate();
    if (token === undefined || !verify) return done();
    verify(token, audienceOf(request.url)).then((found) => {
      request.actor = found.actor;
      request.caller = found.caller;
      request.deadline = found.deadline;
      done();
    }, done);
  };
}
