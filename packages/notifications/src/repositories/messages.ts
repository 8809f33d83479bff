import { sql, type Insertable, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { MessageKind, MessageRow, MessageStatus, MessageTable, NotificationsTables } from '../tables.js';

export interface MessageFilter {
  status?: MessageStatus;
  orderId?: string;
}

/** All SQL of the messages queue; queries join the context's open transaction. */
export class MessageRepository {
  constructor(
    private readonly uow: UnitOfWork<NotificationsTables>,
    private readonly schema: string,
  ) {}

  private q(ctx?: RequestContext): Kysely<NotificationsTables> {
    return this.uow.db(ctx).withSchema(this.schema);
  }

  /** Queues a message; false when the order already has one of its kind (nothing written). */
  async insert(ctx: RequestContext, message: Insertable<MessageTable>): Promise<boolean> {
    const row = await this.q(ctx)
      .insertInto('messages')
      .values(message)
      .onConflict((oc) => oc.columns(['order_id', 'kind']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async exists(ctx: RequestContext, orderId: string, kind: MessageKind): Promise<boolean> {
    const row = await this.q(ctx)
      .selectFrom('messages')
      .select('id')
      .where('order_id', '=', orderId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row !== undefined;
  }

  async find(ctx: RequestContext, id: string): Promise<MessageRow | null> {
    return (
      (await this.q(ctx).selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    );
  }

  /** Newest first; `before` is the id of the last message of the previous page. */
  async list(
    ctx: RequestContext,
    filter: MessageFilter,
    limit: number,
    before?: string,
  ): Promise<MessageRow[]> {
    let query = this.q(ctx).selectFrom('messages').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
    if (before !== undefined) query = query.where('id', '<', before);
    return query.orderBy('id', 'desc').limit(limit).execute();
  }

  /**
   * Claims up to `limit` due messages for `leaseMs`, in one statement: rows another sender is
   * claiming at the same moment are skipped, not waited for, and no transaction stays open while
   * the messages are sent. A sender that dies leaves its claims to expire.
   */
  async claimDue(limit: number, leaseMs: number): Promise<MessageRow[]> {
    const db = this.q();
    return db
      .updateTable('messages')
      .set({ locked_until: sql<Date>`now() + ${leaseMs} * interval '1 millisecond'` })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('messages')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', sql<Date>`now()`)
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', sql<Date>`now()`)]))
          .orderBy('next_attempt_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  /** Keeps what a message was rendered as; a message rendered before keeps its first rendering. */
  async saveRendering(
    id: string,
    mail: { subject: string; html: string; text: string },
  ): Promise<MessageRow | null> {
    const row = await this.q()
      .updateTable('messages')
      .set({ ...mail, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('subject', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return (
      row ??
      (await this.q().selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    );
  }

  /** Gives claimed messages back to the queue, due at once. */
  async release(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.q().updateTable('messages').set({ locked_until: null }).where('id', 'in', ids).execute();
  }

  async markSent(id: string, providerMessageId: string): Promise<void> {
    await this.q()
      .updateTable('messages')
      .set((eb) => ({
        status: 'sent',
        attempts: eb('attempts', '+', 1),
        provider_message_id: providerMessageId,
        sent_at: sql<Date>`now()`,
        locked_until: null,
        last_error: null,
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Records a failed attempt: due again after `delayMs`, or failed for good once `maxAttempts` were made. */
  async markAttemptFailed(
    id: string,
    error: string,
    maxAttempts: number,
    delayMs: number,
  ): Promise<MessageStatus> {
    const row = await this.q()
      .updateTable('messages')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: sql<MessageStatus>`case when attempts + 1 >= ${maxAttempts} then 'failed' else 'pending' end`,
        next_attempt_at: sql<Date>`now() + ${delayMs} * interval '1 millisecond'`,
        locked_until: null,
        last_error: error,
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returning('status')
      .executeTakeFirst();
    return row?.status ?? 'pending';
  }

  /** Puts a failed message back in the queue with a fresh set of attempts; null unless it had failed. */
  async retry(ctx: RequestContext, id: string): Promise<MessageRow | null> {
    const row = await this.q(ctx)
      .updateTable('messages')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: sql<Date>`now()`,
        locked_until: null,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }
}
