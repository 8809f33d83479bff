import { sql } from 'kysely';
import type { RequestContext } from '../context.js';
import type { Metrics } from '../metrics.js';
import type { EventEnvelope } from '../outbox.js';
import type { EventConsumer, ServiceRuntime } from '../service.js';
import type { DeliveryHandler } from './bus.js';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The context an event handler runs in: the consuming service acts, in the request and trace that caused the event. */
export function eventContext(runtime: ServiceRuntime<unknown>, envelope: EventEnvelope): RequestContext {
  const ctx: RequestContext = {
    store: runtime.store,
    actor: { kind: 'service', name: runtime.name },
    requestId: envelope.requestId,
    log: runtime.logger.child({ reqId: envelope.requestId, eventId: envelope.id, eventType: envelope.type }),
  };
  if (envelope.traceparent && TRACEPARENT.test(envelope.traceparent)) {
    ctx.trace = { traceparent: envelope.traceparent };
  }
  return ctx;
}

/**
 * A consumer's delivery handler: runs its `prepare` (calls to other services) outside any
 * transaction, then in one transaction of the consuming service claims the event for this
 * consumer (processed_events) and runs `handle`. A redelivered event finds its claim and
 * does nothing; two deliveries at once wait on the same key, and the second then does nothing.
 */
export function consumerHandler<TApi, TTables, TPrepared>(
  consumer: EventConsumer<TApi, TTables, TPrepared>,
  api: TApi,
  runtime: ServiceRuntime<TTables>,
  metrics: Metrics,
): DeliveryHandler {
  const outcomes = metrics.counter(
    'shopstack_events_consumed_total',
    'Events delivered to a consumer, by consumer and outcome (processed, duplicate, failed)',
    ['consumer', 'outcome'],
  );
  const table = sql.table(`${runtime.schema}.processed_events`);
  return async (envelope) => {
    const ctx = eventContext(runtime as ServiceRuntime<unknown>, envelope);
    try {
      let prepared = undefined as TPrepared;
      if (consumer.prepare) {
        // A repeat of an event already handled makes no calls.
        const { rows } = await sql`
          select 1 from ${table} where consumer = ${consumer.name} and event_id = ${envelope.id}`.execute(
          runtime.uow.db(),
        );
        if (rows.length > 0) {
          outcomes.inc({ consumer: consumer.name, outcome: 'duplicate' });
          return;
        }
        prepared = await consumer.prepare(api, ctx, envelope, runtime);
      }
      const processed = await runtime.uow.transaction(ctx, async (tx) => {
        const { rows } = await sql<{ consumer: string }>`
          insert into ${table} (consumer, event_id) values (${consumer.name}, ${envelope.id})
          on conflict do nothing returning consumer`.execute(runtime.uow.db(tx));
        if (rows.length === 0) return false;
        await consumer.handle(api, tx, envelope, runtime, ...([prepared] as never));
        return true;
      });
      outcomes.inc({ consumer: consumer.name, outcome: processed ? 'processed' : 'duplicate' });
    } catch (err) {
      outcomes.inc({ consumer: consumer.name, outcome: 'failed' });
      throw err;
    }
  };
}
