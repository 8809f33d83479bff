import type { Kysely } from 'kysely';
import { eventBusKind, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventBus } from './bus.js';
import { MemoryEventBus } from './memory-bus.js';
import { RabbitEventBus } from './rabbitmq-bus.js';

export * from './bus.js';
export * from './consumers.js';
export * from './memory-bus.js';
export * from './rabbitmq-bus.js';
export * from './relay.js';

/** The bus the configuration asks for: RabbitMQ when events.bus (or AMQP_URL) says so, else in-process. */
export function createEventBus(config: Config, db: Kysely<unknown>, logger: Logger): EventBus {
  const { events } = config;
  const log = logger.child({ component: 'events' });
  if (eventBusKind(config) === 'rabbitmq') {
    return new RabbitEventBus({
      url: events.amqpUrl!,
      prefix: events.prefix,
      storeId: config.store.id,
      maxAttempts: events.maxAttempts,
      retryDelayMs: events.retryDelayMs,
      prefetch: events.prefetch,
      logger: log,
    });
  }
  return new MemoryEventBus({
    db,
    logger: log,
    maxAttempts: events.maxAttempts,
    retryDelayMs: events.retryDelayMs,
    concurrency: events.prefetch,
  });
}
