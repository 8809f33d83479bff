import { sql, type InsertQueryBuilder, type InsertResult, type Kysely, type RawBuilder } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { RequestContext } from './context.js';
import type { UnitOfWork } from './unit-of-work.js';

/** An event a service announces: its type names a fact in the past tense (`OrderPlaced`). */
export interface DomainEvent<TData = unknown> {
  type: string;
  /** Version of the data's shape; consumers read the versions they know. */
  version?: number;
  /**
   * The thing the event is about (an order's id): the relay publishes one aggregate's events in the
   * order they were written. Without one, an event is ordered with nothing else.
   */
  aggregate?: string;
  data: TData;
}

/** An event as the outbox stores it and the bus carries it. */
export interface EventEnvelope<TData = unknown> {
  id: string;
  type: string;
  version: number;
  store: string;
  /** The service that emitted it. */
  source: string;
  occurredAt: string;
  requestId: string;
  traceparent?: string;
  aggregate?: string;
  data: TData;
}

/** The insert that writes an event to the outbox (Outbox.prepare), to run alone or inside a statement. */
export type OutboxInsert = InsertQueryBuilder<{ outbox: OutboxTable }, 'outbox', InsertResult>;

/** The table every service's schema has for its outbox (created by the kernel's own migration). */
export interface OutboxTable {
  id: string;
  type: string;
  version: number;
  store_id: string;
  source: string;
  occurred_at: Date;
  request_id: string;
  traceparent: string | null;
  data: unknown;
  published_at: Date | null;
  attempts: number;
  aggregate: string | null;
  claimed_until: Date | null;
}

/**
 * A service's outbox: events written in the same transaction as the state change they announce, so
 * a change is never committed without its event nor an event sent for a change rolled back. A relay
 * publishes them later and marks them sent.
 */
export class Outbox {
  constructor(
    private readonly service: string,
    private readonly schema: string,
    private readonly storeId: string,
    // The unit's tables are the service's own; the outbox only needs its own table in the same schema.
    private readonly uow: UnitOfWork<unknown>,
  ) {}

  /**
   * Writes an event in the context's open transaction. Emitting outside a transaction is a
   * programming error (the event could outlive a rolled-back change), so it throws.
   */
  async emit<TData>(ctx: RequestContext, event: DomainEvent<TData>): Promise<EventEnvelope<TData>> {
    if (!this.uow.active(ctx)) {
      throw new Error(
        `${this.service}: emit(${event.type}) needs the transaction of the change it announces`,
      );
    }
    const { envelope, insert } = this.prepare(ctx, event);
    await insert.execute();
    return envelope;
  }

  /**
   * An event's envelope and the insert that writes it, not yet run: for a change written as one
   * statement (a data-modifying WITH), which then writes its event itself, atomically and in one
   * round trip. With `from`, the insert writes the row only if the statement's WITH query of that
   * name (one row at most) returned one, that is, the change took place; `addToData` then adds
   * fields that only the statement knows (a number it drew, say) to the data, as a jsonb expression
   * that may read that row.
   */
  prepare<TData>(
    ctx: RequestContext,
    event: DomainEvent<TData>,
    options: { from?: string; addToData?: RawBuilder<unknown> } = {},
  ): { envelope: EventEnvelope<TData>; insert: OutboxInsert } {
    const envelope: EventEnvelope<TData> = {
      id: uuidv7(),
      type: event.type,
      version: event.version ?? 1,
      store: this.storeId,
      source: this.service,
      occurredAt: new Date().toISOString(),
      requestId: ctx.requestId,
      ...(ctx.trace ? { traceparent: ctx.trace.traceparent } : {}),
      ...(event.aggregate === undefined ? {} : { aggregate: event.aggregate }),
      data: event.data,
    };
    const into = (this.uow.db(ctx) as Kysely<{ outbox: OutboxTable }>)
      .withSchema(this.schema)
      .insertInto('outbox');
    const data = JSON.stringify(envelope.data);
    const occurredAt = new Date(envelope.occurredAt);
    const traceparent = envelope.traceparent ?? null;
    const { from, addToData } = options;
    const insert = from
      ? into
          .columns([
            'id',
            'type',
            'version',
            'store_id',
            'source',
            'occurred_at',
            'request_id',
            'traceparent',
            'aggregate',
            'data',
          ])
          .expression(
            // Parameters of a SELECT get no type from the columns they fill, so each is cast.
            sql`select ${envelope.id}::text, ${envelope.type}::text, ${envelope.version}::integer,
              ${envelope.store}::text, ${envelope.source}::text, ${occurredAt}::timestamptz,
              ${envelope.requestId}::text, ${traceparent}::text, ${envelope.aggregate ?? null}::text,
              ${addToData ? sql`${data}::jsonb || ${addToData}` : sql`${data}::jsonb`}
              from ${sql.id(from)}`,
          )
      : into.values({
          id: envelope.id,
          type: envelope.type,
          version: envelope.version,
          store_id: envelope.store,
          source: envelope.source,
          occurred_at: occurredAt,
          request_id: envelope.requestId,
          traceparent,
          aggregate: envelope.aggregate ?? null,
          data: sql`${data}::jsonb`,
          published_at: null,
          attempts: 0,
        });
    return { envelope, insert };
  }

  /** Events not yet published, oldest first (the relay's work list; tests read it too). */
  async pending(limit = 100): Promise<EventEnvelope[]> {
    const rows = await (this.uow.db() as Kysely<{ outbox: OutboxTable }>)
      .withSchema(this.schema)
      .selectFrom('outbox')
      .selectAll()
      .where('published_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      version: row.version,
      store: row.store_id,
      source: row.source,
      occurredAt: row.occurred_at.toISOString(),
      requestId: row.request_id,
      ...(row.traceparent ? { traceparent: row.traceparent } : {}),
      ...(row.aggregate ? { aggregate: row.aggregate } : {}),
      data: row.data,
    }));
  }
}
