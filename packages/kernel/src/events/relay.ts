import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { EventEnvelope, OutboxTable } from '../outbox.js';
import type { EventBus } from './bus.js';

/** A service whose outbox a relay publishes. */
export interface RelayedOutbox {
  service: string;
  schema: string;
}

export interface OutboxRelayOptions {
  db: Kysely<unknown>;
  bus: EventBus;
  outboxes: readonly RelayedOutbox[];
  logger: Logger;
  metrics: Metrics;
  batchSize: number;
  intervalMs: number;
  /** How long a claimed batch is this relay's; after that another relay may publish it again. */
  leaseMs?: number;
  /** Runs after the bus accepted a batch and before it is marked sent (tests crash here). */
  afterPublish?: (events: readonly EventEnvelope[]) => Promise<void> | void;
}

const MAX_BACKOFF_MS = 5000;

export interface OutboxBacklog {
  count: number;
  /** Age of the oldest unsent event in seconds; 0 when there is none. */
  oldestAgeSeconds: number;
}

/** How many events of a service's outbox (in `schema`) are unsent, and how old the oldest is. */
export async function outboxBacklog(db: Kysely<unknown>, schema: string): Promise<OutboxBacklog> {
  const { rows } = await sql<{ count: string; oldest: Date | null }>`
    select count(*) as count, min(occurred_at) as oldest
    from ${sql.table(`${schema}.outbox`)} where published_at is null`.execute(db);
  const row = rows[0]!;
  const oldest = row.oldest ? new Date(row.oldest).getTime() : null;
  return {
    count: Number(row.count),
    oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
  };
}

function envelopeOf(row: OutboxTable): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    store: row.store_id,
    source: row.source,
    occurredAt: new Date(row.occurred_at).toISOString(),
    requestId: row.request_id,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
    ...(row.aggregate ? { aggregate: row.aggregate } : {}),
    data: row.data,
  };
}

/**
 * Publishes the events services wrote to their outboxes, and marks them sent only once the bus
 * accepted them (RabbitMQ: confirmed), so an event is never lost: a relay that dies in between
 * leaves them unsent, and they go out again (consumers drop the repeat). Several relays may run:
 * each claims a batch under row locks (SKIP LOCKED) with a lease, and leaves out an aggregate
 * whose earlier event another relay holds, so one aggregate's events go out in order.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private backoffMs = 0;
  private failingSince = 0;
  private readonly published;
  private readonly failures;

  constructor(private readonly options: OutboxRelayOptions) {
    const { metrics } = options;
    this.published = metrics.counter(
      'shopstack_outbox_published_total',
      'Events the relay published from an outbox, by service',
      ['service'],
    );
    this.failures = metrics.counter(
      'shopstack_outbox_publish_failures_total',
      'Batches the relay could not publish (the bus was unreachable), by service',
      ['service'],
    );
    metrics.gauge(
      'shopstack_outbox_backlog_events',
      'Events written to an outbox and not yet published, by service',
      ['service'],
      async (set) => {
        for (const outbox of options.outboxes)
          set({ service: outbox.service }, (await this.backlog(outbox)).count);
      },
    );
    metrics.gauge(
      'shopstack_outbox_oldest_unsent_age_seconds',
      'Age of the oldest event of an outbox not yet published (0 when none), by service',
      ['service'],
      async (set) => {
        for (const outbox of options.outboxes) {
          set({ service: outbox.service }, (await this.backlog(outbox)).oldestAgeSeconds);
        }
      },
    );
  }

  /** Unsent events of an outbox: how many, and how old the oldest is (seconds). */
  backlog(outbox: RelayedOutbox): Promise<OutboxBacklog> {
    return outboxBacklog(this.options.db, outbox.schema);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops after the batch in flight, which is then published and marked, or left unsent. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().then((delayNext) => this.schedule(delayNext));
    }, delay).unref();
  }

  /** One pass over every outbox; returns the delay before the next (none while batches come full). */
  private async pass(): Promise<number> {
    let full = false;
    try {
      for (const outbox of this.options.outboxes) {
        if (this.stopped) return 0;
        const sent = await this.relayOnce(outbox);
        if (sent >= this.options.batchSize) full = true;
      }
      if (this.backoffMs > 0) {
        this.options.logger.info(
          { downForMs: Date.now() - this.failingSince },
          'the event bus accepts events again; the relay goes on',
        );
      }
      this.backoffMs = 0;
      return full ? 0 : this.options.intervalMs;
    } catch (err) {
      if (this.backoffMs === 0) {
        this.failingSince = Date.now();
        this.options.logger.warn({ err }, 'the relay cannot publish; events wait in the outbox');
      }
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(this.options.intervalMs, this.backoffMs * 2));
      return this.backoffMs;
    }
  }

  /** Claims, publishes and marks one batch of an outbox; returns how many events it published. */
  async relayOnce(outbox: RelayedOutbox): Promise<number> {
    const { db, batchSize } = this.options;
    const table = sql.table(`${outbox.schema}.outbox`);
    const lease = `${this.options.leaseMs ?? 60_000} milliseconds`;
    const { rows } = await sql<OutboxTable>`
      with candidates as materialized (
        select id, aggregate from ${table}
        where published_at is null and (claimed_until is null or claimed_until < now())
        order by id limit ${batchSize} for update skip locked
      ), blocked as (
        select distinct c.aggregate from candidates c
        where c.aggregate is not null and exists (
          select 1 from ${table} p
          where p.aggregate = c.aggregate and p.published_at is null and p.id < c.id
            and not exists (select 1 from candidates x where x.id = p.id))
      )
      update ${table} o set claimed_until = now() + ${lease}::interval
      from candidates c
      where o.id = c.id and (c.aggregate is null or c.aggregate not in (select aggregate from blocked))
      returning o.*`.execute(db);
    if (rows.length === 0) return 0;
    const events = rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(envelopeOf);
    const ids = events.map((e) => e.id);
    try {
      await this.options.bus.publish(events);
    } catch (err) {
      this.failures.inc({ service: outbox.service });
      await sql`update ${table} set claimed_until = null, attempts = attempts + 1 where id = any(${ids})`
        .execute(db)
        .catch(() => undefined);
      throw err;
    }
    await this.options.afterPublish?.(events);
    await sql`
      update ${table} set published_at = now(), claimed_until = null, attempts = attempts + 1
      where id = any(${ids})`.execute(db);
    this.published.inc({ service: outbox.service }, events.length);
    return events.length;
  }
}
