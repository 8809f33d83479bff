import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
  { description: 'one of fatal, error, warn, info, debug, trace, silent' },
);

/** The whole configuration of one ShopStack process; every key is documented in the README. */
export const ConfigSchema = Type.Object(
  {
    env: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
      description: 'one of development, production, test',
    }),
    server: Type.Object(
      {
        host: Type.String({ minLength: 1 }),
        port: Type.Integer({ minimum: 0, maximum: 65535 }),
        bodyLimit: Type.Integer({ minimum: 1024 }),
        drainDelayMs: Type.Integer({ minimum: 0 }),
        shutdownTimeoutMs: Type.Integer({ minimum: 1000 }),
        trustProxy: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    store: Type.Object(
      {
        id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'a lower-case slug' }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'an ISO 4217 code such as EUR' }),
        locale: Type.String({
          pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
          description: 'a BCP 47 language tag such as en-IE: how the storefront writes prices and dates',
        }),
        country: Type.String({
          pattern: '^[A-Z]{2}$',
          description: 'an ISO 3166-1 alpha-2 code such as DE: the country shipping is quoted for first',
        }),
        publicUrl: Type.Optional(
          Type.String({
            pattern: '^https?://[^/]+$',
            description: "the store's public origin, e.g. https://shop.example (canonical links, sitemap)",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    dataDir: Type.String({ minLength: 1 }),
    database: Type.Object(
      {
        url: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL' })),
        poolSize: Type.Integer({ minimum: 1, maximum: 500 }),
        preparedStatements: Type.Boolean(),
        schemaPrefix: Type.String({ pattern: '^[a-z0-9_]*$', maxLength: 30 }),
        dir: Type.Optional(
          Type.String({
            minLength: 1,
            description: 'the directory of the embedded database (default <dataDir>/<store.id>)',
          }),
        ),
        socket: Type.Optional(
          Type.String({
            pattern: '^/',
            description:
              'an absolute directory holding the Unix socket of an embedded database served by another process',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    log: Type.Object({ level: LogLevel }, { additionalProperties: false }),
    auth: Type.Object(
      {
        adminToken: Type.Optional(Type.String({ minLength: 1 })),
        serviceSecret: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false },
    ),
    cache: Type.Object(
      {
        enabled: Type.Boolean(),
        maxEntries: Type.Integer({ minimum: 1 }),
        ttlMs: Type.Integer({ minimum: 1 }),
      },
      { additionalProperties: false },
    ),
    services: Type.Array(Type.String({ pattern: '^[a-z]+$' }), { minItems: 1 }),
    web: Type.Object(
      {
        storefront: Type.Boolean({ description: 'serve the storefront at / (shopstack start)' }),
        admin: Type.Boolean({ description: 'serve the admin app at /admin (shopstack start)' }),
      },
      { additionalProperties: false },
    ),
    serviceUrls: Type.Record(
      Type.String({ pattern: '^[a-z]+$' }),
      Type.String({ pattern: '^https?://[^\\s]+$', description: 'an http:// or https:// URL' }),
    ),
    seed: Type.Object(
      { demo: Type.Boolean(), products: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
      { additionalProperties: false },
    ),
    payment: Type.Object(
      {
        webhookSecret: Type.Optional(
          Type.String({ minLength: 16, description: 'a secret of at least 16 characters' }),
        ),
      },
      { additionalProperties: false },
    ),
    catalogue: Type.Object(
      {
        stockExposure: Type.Union([Type.Literal('exact'), Type.Literal('capped'), Type.Literal('status')], {
          description: 'one of exact, capped, status',
        }),
        reservationHoldMinutes: Type.Integer({
          minimum: 1,
          maximum: 1440,
          description: 'a whole number of minutes, 1 to 1440',
        }),
        reservationSweepSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          description: 'a whole number of seconds, 1 to 3600',
        }),
      },
      { additionalProperties: false },
    ),
    cart: Type.Object(
      {
        idleDays: Type.Integer({
          minimum: 1,
          maximum: 3650,
          description: 'a whole number of days, 1 to 3650',
        }),
      },
      { additionalProperties: false },
    ),
    orders: Type.Object(
      {
        recoveryAgeSeconds: Type.Integer({
          minimum: 0,
          maximum: 86_400,
          description: 'a whole number of seconds, 0 to 86400',
        }),
        recoveryIntervalSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          description: 'a whole number of seconds, 1 to 3600',
        }),
      },
      { additionalProperties: false },
    ),
    events: Type.Object(
      {
        bus: Type.Optional(
          Type.Union([Type.Literal('memory'), Type.Literal('rabbitmq')], {
            description: 'one of memory, rabbitmq',
          }),
        ),
        amqpUrl: Type.Optional(
          Type.String({ pattern: '^amqps?://', description: 'an amqp:// or amqps:// URL' }),
        ),
        prefix: Type.String({
          pattern: '^[a-z0-9][a-z0-9._-]{0,60}$',
          description: 'a lower-case name of letters, digits, dots, dashes and underscores',
        }),
        relay: Type.Boolean(),
        relayIntervalMs: Type.Integer({ minimum: 10, maximum: 60_000, description: '10 to 60000' }),
        relayBatchSize: Type.Integer({ minimum: 1, maximum: 1000, description: '1 to 1000' }),
        maxAttempts: Type.Integer({ minimum: 1, maximum: 100, description: '1 to 100' }),
        retryDelayMs: Type.Integer({ minimum: 10, maximum: 3_600_000, description: '10 to 3600000' }),
        prefetch: Type.Integer({ minimum: 1, maximum: 1000, description: '1 to 1000' }),
      },
      { additionalProperties: false },
    ),
    mail: Type.Object(
      {
        transport: Type.Optional(
          Type.Union([Type.Literal('file'), Type.Literal('smtp')], { description: 'one of file, smtp' }),
        ),
        from: Type.String({ minLength: 3, maxLength: 320 }),
        dir: Type.Optional(Type.String({ minLength: 1 })),
        smtpUrl: Type.Optional(
          Type.String({ pattern: '^smtps?://', description: 'an smtp:// or smtps:// URL' }),
        ),
        maxAttempts: Type.Integer({ minimum: 1, maximum: 100, description: '1 to 100' }),
        retryDelayMs: Type.Integer({ minimum: 10, maximum: 3_600_000, description: '10 to 3600000' }),
        intervalMs: Type.Integer({ minimum: 10, maximum: 60_000, description: '10 to 60000' }),
      },
      { additionalProperties: false },
    ),
    storage: Type.Object(
      {
        kind: Type.Optional(
          Type.Union([Type.Literal('local'), Type.Literal('s3')], { description: 'one of local, s3' }),
        ),
        dir: Type.Optional(Type.String({ minLength: 1 })),
        s3: Type.Optional(
          Type.Object(
            {
              bucket: Type.String({
                pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
                description: 'an S3 bucket name: 3 to 63 lower-case letters, digits, dots and dashes',
              }),
              endpoint: Type.Optional(
                Type.String({ pattern: '^https?://[^\\s]+$', description: 'an http:// or https:// URL' }),
              ),
              region: Type.Optional(
                Type.String({ pattern: '^[a-z0-9-]{1,40}$', description: 'a region name such as eu-west-1' }),
              ),
              forcePathStyle: Type.Optional(Type.Boolean()),
              prefix: Type.Optional(
                Type.String({
                  pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$',
                  maxLength: 200,
                  description: 'key segments of letters, digits, dots, dashes and underscores, joined by /',
                }),
              ),
              accessKeyId: Type.Optional(Type.String({ minLength: 1 })),
              secretAccessKey: Type.Optional(Type.String({ minLength: 1 })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    shipping: Type.Object(
      {
        carrierDelaysMs: Type.Object(
          {
            labelCreated: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
            inTransit: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
            delivered: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
          },
          { additionalProperties: false },
        ),
        carrierIntervalMs: Type.Integer({ minimum: 10, maximum: 60_000, description: '10 to 60000' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};
export type ConfigOverrides = DeepPartial<Config>;

export const defaultConfig: Config = {
  env: 'development',
  server: {
    host: '127.0.0.1',
    port: 8080,
    bodyLimit: 1024 * 1024,
    drainDelayMs: 0,
    shutdownTimeoutMs: 10_000,
    trustProxy: false,
  },
  store: { id: 'demo', name: 'ShopStack Demo Store', currency: 'EUR', locale: 'en-IE', country: 'DE' },
  dataDir: './data',
  database: { poolSize: 10, preparedStatements: true, schemaPrefix: '' },
  log: { level: 'info' },
  auth: {},
  cache: { enabled: true, maxEntries: 20_000, ttlMs: 60_000 },
  web: { storefront: true, admin: true },
  // Every service of the shop in one process; SHOPSTACK_SERVICES names a subset for one process of many.
  services: [
    'users',
    'catalogue',
    'shipping',
    'cart',
    'payment',
    'orders',
    'dispatch',
    'notifications',
    'ratings',
  ],
  serviceUrls: {},
  // The test gateway's webhooks are refused until a secret is set (SHOPSTACK_PAYMENT_WEBHOOK_SECRET).
  payment: {},
  seed: { demo: true, products: 600 },
  // Shoppers see stock counts up to a cap: exact counts tell competitors more than customers need.
  // A reservation nobody commits or releases (a checkout that died half-way) gives its units back
  // after the hold; a sweep looks for such reservations every minute.
  catalogue: { stockExposure: 'capped', reservationHoldMinutes: 15, reservationSweepSeconds: 60 },
  // A cart nobody changed for a month is abandoned: it expires, and its stock was never held.
  cart: { idleDays: 30 },
  // A checkout still unfinished after two minutes died half-way (a request has 30 s): the recovery
  // job, run at start and every minute, finishes it (paid) or undoes its steps. It must act well
  // within the catalogue's reservation hold.
  orders: { recoveryAgeSeconds: 120, recoveryIntervalSeconds: 60 },
  // The in-process bus unless AMQP_URL names a RabbitMQ broker. Every process relays its services'
  // outboxes; a handler that keeps failing is retried with growing delays, then dead-lettered.
  events: {
    prefix: 'shopstack',
    relay: true,
    relayIntervalMs: 200,
    relayBatchSize: 100,
    maxAttempts: 5,
    retryDelayMs: 1000,
    prefetch: 32,
  },
  // Mail goes to .eml files under <dataDir>/<store>/mail unless SMTP_URL names an SMTP server.
  mail: {
    from: 'ShopStack Demo Store <shop@example.com>',
    maxAttempts: 8,
    retryDelayMs: 2000,
    intervalMs: 500,
  },
  // Uploaded files (product images) go under <dataDir>/<store>/uploads unless S3_BUCKET names a bucket.
  storage: {},
  // The simulated carrier takes a demo order from label to doorstep in under a minute.
  shipping: {
    carrierDelaysMs: { labelCreated: 2000, inTransit: 10_000, delivered: 20_000 },
    carrierIntervalMs: 1000,
  },
};

type Parse = 'string' | 'integer' | 'boolean' | 'list';

/** Services whose URL an environment variable can set (SHOPSTACK_CATALOGUE_URL, ...). */
export const SERVICE_NAMES = [
  'catalogue',
  'users',
  'cart',
  'shipping',
  'orders',
  'payment',
  'ratings',
  'dispatch',
  'notifications',
] as const;

/** Environment variables and the configuration key each one sets. */
export const environmentVariables: ReadonlyArray<{ name: string; key: string; parse: Parse }> = [
  { name: 'SHOPSTACK_ENV', key: 'env', parse: 'string' },
  { name: 'HOST', key: 'server.host', parse: 'string' },
  { name: 'PORT', key: 'server.port', parse: 'integer' },
  { name: 'SHOPSTACK_BODY_LIMIT', key: 'server.bodyLimit', parse: 'integer' },
  { name: 'SHOPSTACK_DRAIN_DELAY_MS', key: 'server.drainDelayMs', parse: 'integer' },
  { name: 'SHOPSTACK_SHUTDOWN_TIMEOUT_MS', key: 'server.shutdownTimeoutMs', parse: 'integer' },
  { name: 'SHOPSTACK_TRUST_PROXY', key: 'server.trustProxy', parse: 'boolean' },
  { name: 'SHOPSTACK_STORE_ID', key: 'store.id', parse: 'string' },
  { name: 'SHOPSTACK_STORE_NAME', key: 'store.name', parse: 'string' },
  { name: 'SHOPSTACK_CURRENCY', key: 'store.currency', parse: 'string' },
  { name: 'SHOPSTACK_LOCALE', key: 'store.locale', parse: 'string' },
  { name: 'SHOPSTACK_COUNTRY', key: 'store.country', parse: 'string' },
  { name: 'SHOPSTACK_PUBLIC_URL', key: 'store.publicUrl', parse: 'string' },
  { name: 'SHOPSTACK_DATA_DIR', key: 'dataDir', parse: 'string' },
  { name: 'DATABASE_URL', key: 'database.url', parse: 'string' },
  { name: 'SHOPSTACK_DB_POOL_SIZE', key: 'database.poolSize', parse: 'integer' },
  { name: 'SHOPSTACK_DB_PREPARED_STATEMENTS', key: 'database.preparedStatements', parse: 'boolean' },
  { name: 'SHOPSTACK_DB_SCHEMA_PREFIX', key: 'database.schemaPrefix', parse: 'string' },
  { name: 'SHOPSTACK_DB_DIR', key: 'database.dir', parse: 'string' },
  { name: 'SHOPSTACK_DB_SOCKET', key: 'database.socket', parse: 'string' },
  { name: 'LOG_LEVEL', key: 'log.level', parse: 'string' },
  { name: 'SHOPSTACK_ADMIN_TOKEN', key: 'auth.adminToken', parse: 'string' },
  { name: 'SHOPSTACK_CACHE', key: 'cache.enabled', parse: 'boolean' },
  { name: 'SHOPSTACK_CACHE_MAX_ENTRIES', key: 'cache.maxEntries', parse: 'integer' },
  { name: 'SHOPSTACK_CACHE_TTL_MS', key: 'cache.ttlMs', parse: 'integer' },
  { name: 'SHOPSTACK_SERVICES', key: 'services', parse: 'list' },
  { name: 'SHOPSTACK_STOREFRONT', key: 'web.storefront', parse: 'boolean' },
  { name: 'SHOPSTACK_ADMIN_APP', key: 'web.admin', parse: 'boolean' },
  { name: 'SHOPSTACK_SERVICE_SECRET', key: 'auth.serviceSecret', parse: 'string' },
  ...SERVICE_NAMES.map((service) => ({
    name: `SHOPSTACK_${service.toUpperCase()}_URL`,
    key: `serviceUrls.${service}`,
    parse: 'string' as const,
  })),
  { name: 'SHOPSTACK_SEED_DEMO', key: 'seed.demo', parse: 'boolean' },
  { name: 'SHOPSTACK_SEED_PRODUCTS', key: 'seed.products', parse: 'integer' },
  { name: 'SHOPSTACK_PAYMENT_WEBHOOK_SECRET', key: 'payment.webhookSecret', parse: 'string' },
  { name: 'SHOPSTACK_STOCK_EXPOSURE', key: 'catalogue.stockExposure', parse: 'string' },
  { name: 'SHOPSTACK_RESERVATION_HOLD_MINUTES', key: 'catalogue.reservationHoldMinutes', parse: 'integer' },
  { name: 'SHOPSTACK_RESERVATION_SWEEP_SECONDS', key: 'catalogue.reservationSweepSeconds', parse: 'integer' },
  { name: 'SHOPSTACK_CART_IDLE_DAYS', key: 'cart.idleDays', parse: 'integer' },
  { name: 'SHOPSTACK_CHECKOUT_RECOVERY_AGE_SECONDS', key: 'orders.recoveryAgeSeconds', parse: 'integer' },
  { name: 'SHOPSTACK_EVENT_BUS', key: 'events.bus', parse: 'string' },
  { name: 'AMQP_URL', key: 'events.amqpUrl', parse: 'string' },
  { name: 'SHOPSTACK_EVENT_PREFIX', key: 'events.prefix', parse: 'string' },
  { name: 'SHOPSTACK_EVENT_RELAY', key: 'events.relay', parse: 'boolean' },
  { name: 'SHOPSTACK_EVENT_MAX_ATTEMPTS', key: 'events.maxAttempts', parse: 'integer' },
  { name: 'SHOPSTACK_EVENT_RETRY_DELAY_MS', key: 'events.retryDelayMs', parse: 'integer' },
  { name: 'SHOPSTACK_MAIL_TRANSPORT', key: 'mail.transport', parse: 'string' },
  { name: 'SHOPSTACK_MAIL_FROM', key: 'mail.from', parse: 'string' },
  { name: 'SHOPSTACK_MAIL_DIR', key: 'mail.dir', parse: 'string' },
  { name: 'SMTP_URL', key: 'mail.smtpUrl', parse: 'string' },
  { name: 'SHOPSTACK_STORAGE', key: 'storage.kind', parse: 'string' },
  { name: 'SHOPSTACK_STORAGE_DIR', key: 'storage.dir', parse: 'string' },
  { name: 'S3_BUCKET', key: 'storage.s3.bucket', parse: 'string' },
  { name: 'S3_ENDPOINT', key: 'storage.s3.endpoint', parse: 'string' },
  { name: 'S3_REGION', key: 'storage.s3.region', parse: 'string' },
  { name: 'S3_FORCE_PATH_STYLE', key: 'storage.s3.forcePathStyle', parse: 'boolean' },
  { name: 'S3_PREFIX', key: 'storage.s3.prefix', parse: 'string' },
  { name: 'S3_ACCESS_KEY_ID', key: 'storage.s3.accessKeyId', parse: 'string' },
  { name: 'S3_SECRET_ACCESS_KEY', key: 'storage.s3.secretAccessKey', parse: 'string' },
  {
    name: 'SHOPSTACK_CHECKOUT_RECOVERY_INTERVAL_SECONDS',
    key: 'orders.recoveryIntervalSeconds',
    parse: 'integer',
  },
];

/** Raised when configuration is invalid; the message names the key and what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Highest-priority values, applied after the environment (used by the CLI and tests). */
  overrides?: ConfigOverrides;
}

function parseValue(raw: string, parse: Parse): unknown {
  switch (parse) {
    case 'integer':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Record<string, unknown>, layer: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(layer)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k], v) : v;
  }
  return out;
}

function readConfigFile(file: string, required: boolean): Record<string, unknown> {
  if (!existsSync(file)) {
    if (required) throw new ConfigError('SHOPSTACK_CONFIG', `Configuration file not found: ${file}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      'SHOPSTACK_CONFIG',
      `Configuration file ${file} is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (!isPlainObject(parsed))
    throw new ConfigError('SHOPSTACK_CONFIG', `Configuration file ${file} must hold a JSON object`);
  return parsed;
}

const WEAK_TOKENS = new Set(['changeme', 'change-me', 'secret', 'password', 'admin', 'token', 'test']);

/**
 * Loads configuration from built-in defaults, then the JSON file for the environment
 * (config/<env>.json or SHOPSTACK_CONFIG), then environment variables, then overrides; validates it.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const mode = env.SHOPSTACK_ENV ?? env.NODE_ENV ?? options.overrides?.env ?? defaultConfig.env;
  const explicitFile = env.SHOPSTACK_CONFIG;
  const file = explicitFile ? path.resolve(cwd, explicitFile) : path.join(cwd, 'config', `${mode}.json`);

  const envLayer: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  if (!env.SHOPSTACK_ENV && env.NODE_ENV) envLayer.env = env.NODE_ENV;
  for (const variable of environmentVariables) {
    const raw = env[variable.name];
    if (raw === undefined || raw === '') continue;
    setPath(envLayer, variable.key, parseValue(raw, variable.parse));
    sources.set(variable.key, variable.name);
  }

  const fileLayer = readConfigFile(file, Boolean(explicitFile));
  refuseStorageCredentials(fileLayer, file);
  let merged = merge(defaultConfig as unknown as Record<string, unknown>, fileLayer);
  merged = merge(merged, envLayer);
  merged = merge(merged, (options.overrides ?? {}) as Record<string, unknown>);

  const first = Value.Errors(ConfigSchema, merged).First();
  if (first) {
    const key = first.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const topKey = [...sources.keys()].find((k) => key === k || key.startsWith(`${k}.`));
    const from = topKey ? ` (from ${sources.get(topKey)})` : '';
    const got = first.value === undefined ? 'nothing' : JSON.stringify(first.value);
    if (/^Unexpected propert/.test(first.message)) {
      throw new ConfigError(key, `Invalid configuration: ${key}${from} is not a known setting (got ${got})`);
    }
    const expected = first.schema.description ?? first.message.replace(/^Expected /, '');
    throw new ConfigError(key, `Invalid configuration: ${key}${from}: expected ${expected}, got ${got}`);
  }
  const config = merged as Config;
  checkSecret(config, 'adminToken', 'SHOPSTACK_ADMIN_TOKEN');
  checkSecret(config, 'serviceSecret', 'SHOPSTACK_SERVICE_SECRET');
  const remote = Object.keys(config.serviceUrls);
  if (remote.length > 0 && !config.auth.serviceSecret) {
    throw new ConfigError(
      'auth.serviceSecret',
      `Invalid configuration: auth.serviceSecret (SHOPSTACK_SERVICE_SECRET) must be set when services are reached over HTTP (serviceUrls: ${remote.join(', ')}); every process of the store needs the same one`,
    );
  }
  if (config.events.bus === 'rabbitmq' && !config.events.amqpUrl) {
    throw new ConfigError(
      'events.amqpUrl',
      'Invalid configuration: events.bus is rabbitmq, so events.amqpUrl (AMQP_URL) must name the broker',
    );
  }
  if (config.mail.transport === 'smtp' && !config.mail.smtpUrl) {
    throw new ConfigError(
      'mail.smtpUrl',
      'Invalid configuration: mail.transport is smtp, so mail.smtpUrl (SMTP_URL) must name the server',
    );
  }
  const s3 = config.storage.s3;
  if (s3 && (s3.accessKeyId === undefined) !== (s3.secretAccessKey === undefined)) {
    throw new ConfigError(
      s3.accessKeyId === undefined ? 'storage.s3.accessKeyId' : 'storage.s3.secretAccessKey',
      'Invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together; set both or neither',
    );
  }
  if (config.storage.kind === 's3' && !s3) {
    throw new ConfigError(
      'storage.s3.bucket',
      'Invalid configuration: storage.kind is s3, so storage.s3.bucket (S3_BUCKET) must name the bucket',
    );
  }
  return config;
}

/**
 * S3 credentials are secrets: they come from S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or the AWS
 * SDK's own sources), never from a configuration file that may be checked in or copied around.
 */
function refuseStorageCredentials(fileLayer: Record<string, unknown>, file: string): void {
  const s3 = (fileLayer.storage as { s3?: Record<string, unknown> } | undefined)?.s3;
  for (const [key, variable] of [
    ['accessKeyId', 'S3_ACCESS_KEY_ID'],
    ['secretAccessKey', 'S3_SECRET_ACCESS_KEY'],
  ] as const) {
    if (isPlainObject(s3) && s3[key] !== undefined) {
      throw new ConfigError(
        `storage.s3.${key}`,
        `Invalid configuration: storage.s3.${key} is a secret; set it with ${variable}, not in ${file}`,
      );
    }
  }
}

/** The event bus a process uses: as configured, else RabbitMQ when a broker URL is given, else in-process. */
export function eventBusKind(config: Config): 'memory' | 'rabbitmq' {
  return config.events.bus ?? (config.events.amqpUrl ? 'rabbitmq' : 'memory');
}

/** How a process sends mail: as configured, else SMTP when a server URL is given, else .eml files. */
export function mailTransport(config: Config): 'file' | 'smtp' {
  return config.mail.transport ?? (config.mail.smtpUrl ? 'smtp' : 'file');
}

/** Where a process keeps uploaded files: as configured, else S3 when a bucket is given, else a local directory. */
export function objectStorageKind(config: Config): 'local' | 's3' {
  return config.storage.kind ?? (config.storage.s3 ? 's3' : 'local');
}

/** In production a secret, when set, must be strong: 32 characters or more, not a word, not repetitive. */
function checkSecret(config: Config, key: 'adminToken' | 'serviceSecret', variable: string): void {
  const secret = config.auth[key];
  if (config.env !== 'production' || secret === undefined) return;
  if (secret.length < 32 || WEAK_TOKENS.has(secret.toLowerCase()) || new Set(secret).size < 10) {
    throw new ConfigError(
      `auth.${key}`,
      `Invalid configuration: auth.${key} (${variable}) must be a strong secret of at least 32 characters in production`,
    );
  }
}

/** The directory that holds one store's data (its embedded database, uploads and mail unless set apart). */
export function storeDataDir(config: Config): string {
  return path.resolve(config.dataDir, config.store.id);
}

/** The directory of a store's embedded database: database.dir when set, else its data directory. */
export function embeddedDatabaseDir(config: Config): string {
  return config.database.dir ? path.resolve(config.database.dir) : storeDataDir(config);
}
