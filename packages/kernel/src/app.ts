import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifySchemaCompiler,
} from 'fastify';
import swagger from '@fastify/swagger';
import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createMemoryCache, type Cache } from './cache.js';
import { syncCacheAcrossProcesses } from './cache-sync.js';
import type { Config } from './config.js';
import type { Actor, RequestContext, StoreInfo } from './context.js';
import type { Database } from './database.js';
import { NotFound } from './errors.js';
import { registerHealthRoutes, type HealthState } from './health.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { problemFromError, sendProblem } from './problem.js';
import type { ClientRegistry, ServiceDefinition, ServiceRuntime } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    readonly ctx: RequestContext;
  }
}

// ajv-formats is published as CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

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

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

function pointerOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at?.parent; at = at.parent) keys.push(at.key);
  return keys
    .reverse()
    .map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}

/** The JSON pointer of the first string (value or key) holding U+0000, or null. */
function nulPath(root: unknown): string | null {
  // A loop, not recursion: a body nested thousands deep must not overflow the stack.
  const pending: Visit[] = [{ value: root, key: '', parent: null }];
  while (pending.length) {
    const visit = pending.pop()!;
    if (typeof visit.value === 'string') {
      if (visit.value.includes('\u0000')) return pointerOf(visit);
    } else if (visit.value !== null && typeof visit.value === 'object') {
      for (const [key, value] of Object.entries(visit.value)) {
        const child = { value, key, parent: visit };
        if (key.includes('\u0000')) return pointerOf(child);
        pending.push(child);
      }
    }
  }
  return null;
}

type ValidationResult = ReturnType<FastifySchemaCompiler<object>>;

function createValidatorCompiler() {
  const common: AjvOptions = { allErrors: true, strict: false, useDefaults: true, removeAdditional: false };
  // Query strings, params and headers are text on the wire: coerce them. Bodies are JSON: take them as sent.
  const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }): ValidationResult => {
    const validate = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
    // PostgreSQL text and jsonb cannot hold U+0000: refused here, it is a 400 naming the field, not a database error.
    const check: ValidationResult = (data: unknown) => {
      const valid = validate(data) as boolean;
      const nul = valid ? nulPath(data) : null;
      check.errors =
        nul === null
          ? validate.errors
          : [
              {
                instancePath: nul,
                schemaPath: '',
                keyword: 'nul',
                params: {},
                message: 'must not contain U+0000',
              },
            ];
      return valid && nul === null;
    };
    return check;
  };
}

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
    frameworkErrors: (error, request, reply) =>
      sendProblem(reply.header('x-request-id', request.id), problemFromError(error, request)),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(createValidatorCompiler());
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

  // Callback-style hooks: on the hottest path they save a promise per request each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
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
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problemFromError(new NotFound(`No route for ${request.method} ${request.url.split('?')[0]}`), request),
    ),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `ShopStack API — ${config.store.name}`,
        version: VERSION,
        description: 'The HTTP API of one ShopStack store. Errors are RFC 9457 problem+json documents.',
      },
      components: {
        securitySchemes: { staffToken: { type: 'http', scheme: 'bearer', description: 'Staff API token' } },
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
      schema: { tags: ['operations'], summary: 'Prometheus metrics', response: { 200: { type: 'string' } } },
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
    apis.set(definition.name, api);
    inProcess.set(definition.name, definition.inProcessClient(api));
    await app.register(definition.routes, { prefix: `/api/${definition.name}`, runtime, api });
  }
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  await app.ready();
  return { app, config, database, cache, metrics, health, apis, clients };
}
