import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
} from 'fastify';
import swagger from '@fastify/swagger';
import { createMemoryCache, type Cache } from './cache.js';
import { syncCacheAcrossProcesses } from './cache-sync.js';
import { clientErrorHandler } from './client-errors.js';
import type { Config } from './config.js';
import type { Actor, RequestContext, StoreInfo } from './context.js';
import type { Database } from './database.js';
import { NotFound } from './errors.js';
import { registerHealthRoutes, type HealthState } from './health.js';
import { jsonBodyParser } from './json-body.js';
import { registerHttpCaching } from './http-caching.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { enforceRouteConventions, STAFF_SECURITY_SCHEME } from './route-conventions.js';
import { PROBLEM_BASE, problemFromError, sendProblem } from './problem.js';
import type { ClientRegistry, ServiceDefinition, ServiceRuntime } from './service.js';
import { createValidatorCompiler } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    readonly ctx: RequestContext;
  }
}

export const VERSION = '0.1.0';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyService = ServiceDefinition<any, any>;

export interface BuildAppOptions {
  config: Config;
  database: Database;
  services: AnyService[];
  logger?: Logger;
  cache?: Cache;
  /** Extra plugins registered after the services (tests use this for probe routes). */
  plugins?: FastifyPluginAsync[];
}

export interface ShopApp {
  app: FastifyInstance;
  config: Config;
  database: Database;
  cache: Cache;
  metrics: Metrics;
  health: HealthState;
  /** Each mounted service's domain API, by service name. */
  apis: Map<string, unknown>;
  clients: ClientRegistry;
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
  app.decorateRequest('ctx', {
    getter() {
      return { store, actor: this.actor ?? { kind: 'anonymous' }, requestId: this.id, log: this.log };
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

  app.setErrorHandler((error, request, reply) => sendProblem(reply, problemFromError(error, request)));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    // A path that other methods answer is a 405 naming them (RFC 9110), not a 404.
    const allowed = app.supportedMethods.filter(
      (method) => method !== request.method && app.findRoute({ method, url: request.url }) !== null,
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
          [STAFF_SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'Staff API token' },
        },
      },
    },
  });

  registerHealthRoutes(app, {
    health,
    database,
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

  const apis = new Map<string, unknown>();
  const inProcess = new Map<string, unknown>();
  const clients: ClientRegistry = {
    get<T>(service: string): T {
      const client = inProcess.get(service);
      if (!client) throw new Error(`Service ${service} is not available in this process`);
      return client as T;
    },
    has: (service) => inProcess.has(service),
  };

  for (const definition of options.services) {
    const runtime: ServiceRuntime = {
      name: definition.name,
      schema: database.schemaFor(definition.name),
      config,
      store,
      database,
      db: database.db,
      logger: logger.child({ service: definition.name }),
      cache,
      metrics,
      clients,
    };
    const api = definition.create(runtime);
    if (definition.start) await definition.start(api, runtime);
    if (definition.stop) {
      const stop = definition.stop.bind(definition, api);
      app.addHook('onClose', async () => stop());
    }
    apis.set(definition.name, api);
    inProcess.set(definition.name, definition.inProcessClient(api));
    await app.register(definition.routes, { prefix: `/api/${definition.name}`, runtime, api });
  }
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  await app.ready();
  return { app, config, database, cache, metrics, health, apis, clients };
}
