import amqplib from 'amqplib';
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

/**
 * A durable queue bound to every event of a store's exchange, standing in for the consumers of a
 * deployment whose services run apart: the broker persists each event the relay publishes.
 */
export async function bindEventSink(
  prefix: string,
  storeId: string,
): Promise<{ count(): Promise<number>; remove(): Promise<void> }> {
  const connection = await amqplib.connect(BENCH_AMQP_URL);
  const channel = await connection.createChannel();
  const exchange = `${prefix}.${storeId}.events`;
  const queue = `${prefix}.${storeId}.bench-sink`;
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(queue, exchange, '#');
  let removed = false;
  return {
    count: async () => (await channel.checkQueue(queue)).messageCount,
    async remove() {
      if (removed) return;
      removed = true;
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

/** The event figures as an aligned plain-text table. */
export function formatEventTable(figures: readonly EventFigures[]): string {
  const header = ['bus', 'events', 'events/s', 'p50 ms', 'p99 ms', 'duplicates'];
  const rows = figures.map((f) => [
    f.bus,
    String(f.events),
    String(f.eventsPerSec),
    f.latencyP50Ms.toFixed(1),
    f.latencyP99Ms.toFixed(1),
    String(f.duplicates),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((row) =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}
