import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import type { EventEnvelope } from '../outbox.js';
import {
  failureText,
  retryDelay,
  type ConsumerBinding,
  type DeadLetter,
  type DeadLetterStore,
  type DeliveryHandler,
  type EventBus,
} from './bus.js';

interface FailedRow {
  consumer: string;
  event_id: string;
  envelope: EventEnvelope;
  attempts: number;
  last_error: string;
  updated_at: Date;
}

/** How long a process may take over a due retry before another process may try it. */
const RETRY_LEASE = sql`interval '5 minutes'`;

/**
 * Dead letters kept in each consuming service's schema (failed_events): those of the in-process
 * bus, read and changed by the running store and by `shopstack events dlq` alike. A replay makes a
 * dead letter due again; the store's retry loop delivers it.
 */
export class DatabaseDeadLetters implements DeadLetterStore {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly bindings: () => readonly ConsumerBinding[],
  ) {}

  private schemasOf(consumer?: string): ConsumerBinding[] {
    const all = this.bindings().filter((b) => consumer === undefined || b.name === consumer);
    if (consumer !== undefined && all.length === 0) throw new Error(`There is no consumer ${consumer}.`);
    return all;
  }

  async list(consumer?: string): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const binding of this.schemasOf(consumer)) {
      const { rows } = await sql<FailedRow>`
        select consumer, event_id, envelope, attempts, last_error, updated_at
        from ${sql.table(`${binding.schema}.failed_events`)}
        where consumer = ${binding.name} and status = 'dead' order by updated_at, event_id`.execute(this.db);
      for (const row of rows) {
        out.push({
          consumer: row.consumer,
          eventId: row.event_id,
          type: row.envelope.type,
          attempts: row.attempts,
          error: row.last_error,
          failedAt: new Date(row.updated_at).toISOString(),
          envelope: row.envelope,
        });
      }
    }
    return out;
  }

  async replay(consumer: string, eventId?: string): Promise<number> {
    let count = 0;
    for (const binding of this.schemasOf(consumer)) {
      const result = await sql`
        update ${sql.table(`${binding.schema}.failed_events`)}
        set status = 'retrying', attempts = 0, next_attempt_at = now(), updated_at = now()
        where consumer = ${binding.name} and status = 'dead'
          ${eventId === undefined ? sql`` : sql`and event_id = ${eventId}`}`.execute(this.db);
      count += Number(result.numAffectedRows ?? 0);
    }
    return count;
  }

  async drop(consumer: string, eventId?: string): Promise<number> {
    let count = 0;
    for (const binding of this.schemasOf(consumer)) {
      const result = await sql`
        delete from ${sql.table(`${binding.schema}.failed_events`)}
        where consumer = ${binding.name} and status = 'dead'
          ${eventId === undefined ? sql`` : sql`and event_id = ${eventId}`}`.execute(this.db);
      count += Number(result.numAffectedRows ?? 0);
    }
    return count;
  }
}

export interface MemoryBusOptions {
  db: Kysely<unknown>;
  logger: Logger;
  maxAttempts: number;
  retryDelayMs: number;
  /** How many aggregates' events are handled at once (events.prefetch). */
  concurrency: number;
}

interface Subscription {
  binding: ConsumerBinding;
  handler: DeliveryHandler;
}

/**
 * The in-process bus: an event published by the relay is handed to every consumer of this process
 * that takes its type, in order. Publishing resolves once each consumer either handled the event
 * or recorded its failure in its schema (failed_events), so the relay marks an event sent only
 * when nothing about it lives only in memory. Failed deliveries are retried from there by a loop
 * with growing delays, and dead after the last attempt, while later events go on.
 */
export class MemoryEventBus implements EventBus {
  readonly kind = 'memory' as const;
  readonly deadLetters: DeadLetterStore;
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retrying: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: MemoryBusOptions) {
    this.deadLetters = new DatabaseDeadLetters(options.db, () => this.subscriptions.map((s) => s.binding));
  }

  subscribe(binding: ConsumerBinding, handler: DeliveryHandler): void {
    this.subscriptions.push({ binding, handler });
  }

  /**
   * Hands each event to its consumers: one aggregate's events one after another, in order, and
   * different aggregates' side by side (at most `concurrency` at once).
   */
  async publish(events: readonly EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed.');
    const lanes = new Map<string, EventEnvelope[]>();
    for (const envelope of events) {
      const key = envelope.aggregate ?? `event:${envelope.id}`;
      const lane = lanes.get(key);
      if (lane) lane.push(envelope);
      else lanes.set(key, [envelope]);
    }
    const queue = [...lanes.values()];
    const runLanes = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const envelope of lane) {
          for (const subscription of this.subscriptions) {
            if (subscription.binding.events.includes(envelope.type))
              await this.deliver(subscription, envelope, 1);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, queue.length) }, runLanes));
  }

  async start(): Promise<void> {
    const every = Math.min(1000, Math.max(20, Math.floor(this.options.retryDelayMs / 2)));
    const tick = () => {
      this.retrying = this.retryDue()
        .catch((err: unknown) => this.options.logger.warn({ err }, 'retrying failed events failed'))
        .finally(() => {
          // Background work never keeps a process alive by itself.
          if (!this.closed) this.timer = setTimeout(tick, every).unref();
        });
    };
    this.timer = setTimeout(tick, every).unref();
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed.');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.retrying;
  }

  /** Delivers once; a failure is recorded for a later attempt (or as dead), never thrown unless it cannot be recorded. */
  private async deliver(
    subscription: Subscription,
    envelope: EventEnvelope,
    attempt: number,
  ): Promise<boolean> {
    try {
      await subscription.handler(envelope, attempt);
      return true;
    } catch (err) {
      await this.recordFailure(subscription.binding, envelope, attempt, err);
      return false;
    }
  }

  private async recordFailure(
    binding: ConsumerBinding,
    envelope: EventEnvelope,
    attempt: number,
    err: unknown,
  ): Promise<void> {
    const dead = attempt >= this.options.maxAttempts;
    const next = dead ? null : new Date(Date.now() + retryDelay(this.options.retryDelayMs, attempt));
    const error = failureText(err);
    this.options.logger[dead ? 'error' : 'warn'](
      { consumer: binding.name, eventId: envelope.id, type: envelope.type, attempt, error },
      dead ? 'event dead-lettered after its last attempt' : 'event handler failed; it will be retried',
    );
    await sql`
      insert into ${sql.table(`${binding.schema}.failed_events`)}
        (consumer, event_id, envelope, attempts, status, last_error, next_attempt_at)
      values (${binding.name}, ${envelope.id}, ${JSON.stringify(envelope)}::jsonb, ${attempt},
        ${dead ? 'dead' : 'retrying'}, ${error}, ${next})
      on conflict (consumer, event_id) do update set attempts = excluded.attempts, status = excluded.status,
        last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at, updated_at = now()`.execute(
      this.options.db,
    );
  }

  /** Delivers failed events whose time has come, each taken by one process only. */
  private async retryDue(): Promise<void> {
    for (const subscription of this.subscriptions) {
      const table = sql.table(`${subscription.binding.schema}.failed_events`);
      const { rows } = await sql<{ envelope: EventEnvelope; attempts: number }>`
        update ${table} f set next_attempt_at = now() + ${RETRY_LEASE}
        from (select consumer, event_id from ${table}
              where consumer = ${subscription.binding.name} and status = 'retrying' and next_attempt_at <= now()
              order by next_attempt_at limit 50 for update skip locked) due
        where f.consumer = due.consumer and f.event_id = due.event_id
        returning f.envelope, f.attempts`.execute(this.options.db);
      for (const row of rows) {
        if (this.closed) return;
        const delivered = await this.deliver(subscription, row.envelope, row.attempts + 1);
        if (delivered) {
          await sql`delete from ${table} where consumer = ${subscription.binding.name} and event_id = ${row.envelope.id}`.execute(
            this.options.db,
          );
        }
      }
    }
  }
}
