import { sql, type Kysely } from 'kysely';
import {
  buildApp,
  createLogger,
  loadConfig,
  migrateAll,
  openDatabase,
  serviceContext,
  type RabbitEventBus,
} from '@shopstack/kernel';
import { auditService, tallyOf, tallyService } from '../packages/kernel/test/support/event-services.js';
import { removeRabbitTopology } from '../packages/kernel/test/support/rabbitmq.js';
import { createBenchDatabase } from './postgres.js';

/** The RabbitMQ broker the bench uses: only ever the one on this machine. */
export const BENCH_AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface EventFigures {
  bus: 'memory' | 'rabbitmq';
  events: number;
  /** Events written, published, delivered and handled per second, first write to last handling. */
  eventsPerSec: number;
  /** From the event's writing (its occurred-at) to the end of its handling. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Duplicates the consumers dropped (redeliveries); none expected in a clean run. */
  duplicates: number;
}

/**
 * Events through the whole path on PostgreSQL: a service writes each with its change (one
 * transaction), the relay publishes it (RabbitMQ: confirmed by the broker), the consumer records
 * it and writes its effect (one transaction). `writers` write at once, as fast as they can.
 */
export async function measureEvents(
  bus: 'memory' | 'rabbitmq',
  options: { events: number; writers: number },
): Promise<EventFigures> {
  const database = await createBenchDatabase('shopstack_events');
  const prefix = `bench-${Date.now().toString(36)}`;
  const config = loadConfig({
    env: {},
    overrides: {
      env: 'production',
      log: { level: 'warn' },
      database: { url: database.url, poolSize: 20 },
      events: {
        relayIntervalMs: 10,
        relayBatchSize: 200,
        prefix,
        ...(bus === 'rabbitmq' ? { bus: 'rabbitmq', amqpUrl: BENCH_AMQP_URL } : { bus: 'memory' }),
      },
    },
  });
  const db = await openDatabase(config);
  await migrateAll(db, [tallyService, auditService]);
  const shop = await buildApp({
    config,
    database: db,
    services: [tallyService, auditService],
    logger: createLogger(config),
  });
  const queues = bus === 'rabbitmq' ? (shop.events.bus as RabbitEventBus).queueNames() : [];
  try {
    const ctx = serviceContext(config.store, shop.logger, 'bench');
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.writers }, async (_, writer) => {
        while (next < options.events) {
          const seq = next++;
          await tallyOf(shop).count(ctx, `w${writer}`, seq);
        }
      }),
    );
    const handled = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from ${sql.table(`${db.schemaFor('audit')}.seen`)}`.execute(
            db.db as Kysely<unknown>,
          )
        ).rows[0]!.n,
      );
    const deadline = Date.now() + 300_000;
    while ((await handled()) < options.events) {
      if (Date.now() > deadline) throw new Error(`${bus}: events were not all handled within 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (Date.now() - started) / 1000;
    const { rows } = await sql<{ p50: number; p99: number }>`
      select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99
      from (select extract(epoch from (s.handled_at - o.occurred_at)) * 1000 as ms
            from ${sql.table(`${db.schemaFor('audit')}.seen`)} s
            join ${sql.table(`${db.schemaFor('tally')}.outbox`)} o on o.id = s.event_id) latencies`.execute(
      db.db as Kysely<unknown>,
    );
    const metrics = await shop.metrics.registry.metrics();
    const duplicates = Number(/outcome="duplicate"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
    return {
      bus,
      events: options.events,
      eventsPerSec: Math.round(options.events / seconds),
      latencyP50Ms: Math.round(rows[0]!.p50 * 10) / 10,
      latencyP99Ms: Math.round(rows[0]!.p99 * 10) / 10,
      duplicates,
    };
  } finally {
    await shop.app.close();
    await db.close();
    await database.drop();
    if (queues.length)
      await removeRabbitTopology({ prefix, storeId: config.store.id, queues, url: BENCH_AMQP_URL });
  }
}
