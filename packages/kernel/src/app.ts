import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
} from 'fastify';
import swagger from '@fastify/swagger';
import type { Kysely } from 'kysely';
import { createMemoryCache, type Cache } from './cache.js';
import { syncCacheAcrossProcesses } from './cache-sync.js';
import { clientErrorHandler } from './client-errors.js';
import type { Config } from './config.js';
import type { Actor, RequestContext, StoreInfo, TraceContext } from './context.js';
import type { Database } from './database.js';
import { NotFound } from './errors.js';
import type { EventBus } from './events/bus.js';
import { createEventBus } from './events/index.js';
import { OutboxRelay, type OutboxRelayOptions } from './events/relay.js';
import { registerHealthRoutes, type HealthState } from './health.js';
import { jsonBodyParser } from './json-body.js';
import { registerHttpCaching } from './http-caching.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { BEARER_SECURITY_SCHEME, enforceRouteConventions } from './route-conventions.js';
import { defaultProblemCode, PROBLEM_BASE, problemFromError, sendProblem } from './problem.js';
import { isDocumentedProblem } from './problem-codes.js';
import type { SeedOptions, ServiceDefinition } from './service.js';
import { authenticationHook, wireServices, type ServiceWiring } from './wiring.js';
import { createValidatorCompiler } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the bearer token says acts (set by the kernel's authentication; null: anonymous). */
    actor: Actor | null;
    /** The service that passed this call on, when a service token came with it. */
    caller: string | undefined;
    /** The deadline a calling service passed on, in epoch milliseconds. */
    deadline: number | undefined;
    /** When the request arrived, in epoch milliseconds. */
    receivedAt: number;
    /** The request's context once built (see ctx). */
    contextOnce: RequestContext | null;
    readonly ctx: RequestContext;
  }
}

/** How long, at most, work for one HTTP request may go on (calls to other services included). */
const REQUEST_DEADLINE_MS = 30_000;
const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function traceOf(headers: Record<string, string | string[] | undefined>): TraceContext | undefined {
  const traceparent = headers.traceparent;
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent)) return undefined;
  const tracestate = headers.tracestate;
  return typeof tracestate === 'string' && tracestate.length <= 512
    ? { traceparent, tracestate }
    : { traceparent };
}

export const VERSION = '0.1.0';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyService = ServiceDefinition<any, any, any>;

export interface BuildAppOptions {
  config: Config;
  database: Database;
  services: AnyService[];
  /**
   * Definitions of services this process may reach over HTTP (their httpClient) when the
   * configuration gives their URL (serviceUrls). Mounted services need not be listed.
   */
  known?: readonly AnyService[];
  /** Fill a new store with demo data once every service started (each service's seed hook). */
  seed?: SeedOptions;
  logger?: Logger;
  cache?: Cache;
  /** Extra plugins registered after the services (tests use this for probe routes). */
  plugins?: FastifyPluginAsync[];
  /** The event bus (default: as configured) and a hook run between publishing and marking sent (tests crash there). */
  events?: {
    bus?: EventBus;
    afterPublish?: OutboxRelayOptions['afterPublish'];
    /** How long a relay's claim on a batch lasts (default a minute). */
    leaseMs?: number;
  };
}

export interface ShopApp {
  app: FastifyInstance;
  config: Config;
  database: Database;
  cache: Cache;
  metrics: Metrics;
  health: HealthState;
  logger: Logger;
  /** Each mounted service's domain API, by service name. */
  apis: Map<string, unknown>;
  /** Every service's client (in-process or HTTP) and the seed of the demo store. */
  services: ServiceWiring;
  /** The event bus and, unless events.relay is off, the relay publishing this process's outboxes. */
  events: { bus: EventBus; relay: OutboxRelay | undefined };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds one process's HTTP app: kernel routes (health, metrics, OpenAPI) plus every given service. */
export async function buildApp(options: BuildAppOptions): Promise<ShopApp> {
  const { config, database } = options;
  const logger = options.logger ?? createLogger(config);
  const cache = options.cache ?? createMemoryCache(config.cache);
  const metrics = createMetrics({ store: config.store.id });
  const store: StoreInfo = { ...config.store };
  const health: HealthState = { shuttingDown: false };

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimit,
    trustProxy: config.server.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Malformed URLs and overlong path parameters are refused by the router, before any hook or error handler.
    frameworkErrors: (error, request, reply) => sendProblem(reply, problemFromError(error, request)),
    // Requests Node's HTTP parser refuses (oversized or malformed headers) never reach the router.
    clientErrorHandler: clientErrorHandler(logger as FastifyBaseLogger),
    // Fastify's own 503 while closing is not a problem document; the onRequest hook below answers instead.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(createValidatorCompiler());
  // Fastify's own JSON parser would read bytes that are not UTF-8 as U+FFFD and call a __proto__ key invalid JSON.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser);
  if (database.kind === 'postgres' && config.cache.enabled) {
    const stopSync = await syncCacheAcrossProcesses(database, cache, logger);
    app.addHook('onClose', async () => stopSync());
  }

  app.decorateRequest('actor', null);
  app.decorateRequest('caller', undefined);
  app.decorateRequest('deadline', undefined);
  app.decorateRequest('receivedAt', 0);
  // Built once per request, on first use: the bearer token has been read by then (onRequest).
  app.decorateRequest('contextOnce', null);
  app.decorateRequest('ctx', {
    getter(): RequestContext {
      if (this.contextOnce) return this.contextOnce;
      const ctx: RequestContext = {
        store,
        actor: this.actor ?? ANONYMOUS,
        requestId: this.id,
        deadline: this.deadline ?? this.receivedAt + REQUEST_DEADLINE_MS,
        log: this.log as Logger,
      };
      if (this.caller !== undefined) ctx.caller = this.caller;
      const trace = traceOf(this.headers);
      if (trace) ctx.trace = trace;
      this.contextOnce = ctx;
      return ctx;
    },
  });

  // Requests that still arrive on open connections once the app closes are turned away.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  // Callback-style hooks: on the hottest path they save a promise per request each.
  app.addHook('onRequest', (request, reply, done) => {
    request.receivedAt = Date.now();
    reply.header('x-request-id', request.id);
    if (closing) {
      reply.header('connection', 'close');
      sendProblem(reply, {
        type: PROBLEM_BASE + 'shutting-down',
        title: 'Service Unavailable',
        status: 503,
        detail: 'This server is shutting down; send the request again.',
      });
      return;
    }
    done();
  });
  // Bearer tokens are read before any route hook, so guards and handlers see who acts.
  const wired: { services?: ServiceWiring } = {};
  app.addHook(
    'onRequest',
    authenticationHook(() => wired.services?.authenticate),
  );
  registerHttpCaching(app);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500 || logger.isLevelEnabled('debug')) {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });

  // Tests hold every route to its documentation: a problem code the route does not document is a bug.
  const checkCodes = config.env === 'test';
  app.setErrorHandler((error, request, reply) => {
    const problem = problemFromError(error, request);
    if (checkCodes) {
      const code = problem.code ?? defaultProblemCode(problem.type);
      if (!isDocumentedProblem(request.routeOptions.config.problemCodes, problem.status, code)) {
        request.log.error(
          { code, status: problem.status, route: request.routeOptions.url },
          'undocumented problem code',
        );
        return sendProblem(reply, {
          type: PROBLEM_BASE + 'undocumented-problem',
          title: 'Internal Server Error',
          status: 500,
          detail: `${request.method} ${request.routeOptions.url} answered ${problem.status} ${code}, which its OpenAPI operation does not document.`,
        });
      }
    }
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    // A path that other methods answer is a 405 naming them (RFC 9110), not a 404.
    // GET and HEAD are one route: a GET whose handler found nothing is not answered by its HEAD twin.
    const same = (method: string) =>
      method === request.method ||
      (['GET', 'HEAD'].includes(method) && ['GET', 'HEAD'].includes(request.method));
    const allowed = app.supportedMethods.filter(
      (method) => !same(method) && app.findRoute({ method, url: request.url }) !== null,
    );
    if (allowed.length === 0)
      return sendProblem(
        reply,
        problemFromError(new NotFound(`No route for ${request.method} ${path}`), request),
      );
    const allow = allowed.join(', ');
    return sendProblem(reply.header('allow', allow), {
      type: PROBLEM_BASE + 'method-not-allowed',
      title: 'Method Not Allowed',
      status: 405,
      detail: `${path} answers ${allow}, not ${request.method}.`,
    });
  });

  // Before any route: each one is checked (operationId) and completed (security, 4xx) as it registers.
  enforceRouteConventions(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `ShopStack API — ${config.store.name}`,
        version: VERSION,
        description: 'The HTTP API of one ShopStack store. Errors are RFC 9457 problem+json documents.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // Paths are absolute on whichever host serves this document.
      servers: [{ url: '/', description: 'This store' }],
      components: {
        securitySchemes: {
          [BEARER_SECURITY_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An access token from /api/users/login (customers, staff), or a service token',
          },
        },
      },
    },
  });

  const bus = options.events?.bus ?? createEventBus(config, database.db as Kysely<unknown>, logger);
  registerHealthRoutes(app, {
    health,
    database,
    bus,
    version: VERSION,
    serviceId: `shopstack-${config.store.id}`,
  });

  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics',
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
  app.get(
    '/api/openapi.json',
    {
      schema: {
        operationId: 'getOpenApiDocument',
        tags: ['operations'],
        summary: 'This OpenAPI document',
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (_request, reply) => reply.serializer(JSON.stringify).send(app.swagger()),
  );

  const services = await wireServices({
    app,
    config,
    database,
    store,
    logger,
    cache,
    metrics,
    mounted: options.services,
    known: options.known ?? [],
    bus,
  });
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  const relay = config.events.relay
    ? new OutboxRelay({
        db: database.db as Kysely<unknown>,
        bus,
        outboxes: services.outboxes,
        logger: logger.child({ component: 'relay' }),
        metrics,
        batchSize: config.events.relayBatchSize,
        intervalMs: config.events.relayIntervalMs,
        ...(options.events?.afterPublish ? { afterPublish: options.events.afterPublish } : {}),
        ...(options.events?.leaseMs ? { leaseMs: options.events.leaseMs } : {}),
      })
    : undefined;
  // The relay stops before the services it publishes for, and the bus after both.
  app.addHook('preClose', async () => relay?.stop());
  app.addHook('onClose', async () => bus.close());

  await app.ready();
  wired.services = services;
  await bus.start();
  if (options.seed) await services.seed(options.seed);
  relay?.start();
  return {
    app,
    config,
    database,
    cache,
    metrics,
    health,
    logger,
    apis: services.apis,
    services,
    events: { bus, relay },
  };
}
