import type { Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { PaymentTables } from '../tables.js';

/** The SQL of received webhook events. */
export class WebhookEventRepository {
  constructor(
    private readonly uow: UnitOfWork<PaymentTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): WebhookEventRepository {
    return new WebhookEventRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<PaymentTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  /**
   * Records an event as received; false when it was already (a redelivery). A concurrent delivery
   * of the same event waits here until the first one's transaction ends.
   */
  async claim(provider: string, eventId: string, type: string): Promise<boolean> {
    const row = await this.q
      .insertInto('payment_webhook_events')
      .values({ provider, event_id: eventId, type })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    return row !== undefined;
  }
}
