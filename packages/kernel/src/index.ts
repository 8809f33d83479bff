export * from './app.js';
export * from './auth.js';
export * from './cache.js';
export * from './cache-sync.js';
export * from './config.js';
export * from './context.js';
export * from './database.js';
export * from './errors.js';
export * from './health.js';
export * from './http-caching.js';
export * from './ids.js';
export * from './idempotency.js';
export * from './input-check.js';
export * from './json-body.js';
export * from './logger.js';
export * from './metrics.js';
export * from './migrations.js';
export * from './outbox.js';
export * from './problem.js';
export * from './problem-codes.js';
export * from './schema-types.js';
export * from './server.js';
export * from './service.js';
export * from './service-client.js';
export * from './service-token.js';
export * from './store-currency.js';
export * from './unit-of-work.js';
export * from './wiring.js';
export {
  fieldOfPointer,
  findText,
  notAnAllowedName,
  unstorableText,
  type TextFinding,
} from './validation.js';
export * from './embedded/index.js';
export * from './events/index.js';
export * from './storage/index.js';
