import {
  sql,
  type Insertable,
  type Kysely,
  type OperationNodeSource,
  type QueryCreator,
  type Updateable,
} from 'kysely';
import { withWrites, type RequestContext, type UnitOfWork } from '@shopstack/kernel';
import type {
  AttemptRow,
  IntentRow,
  IntentStatus,
  PaymentAttemptTable,
  PaymentIntentTable,
  PaymentOperation,
  PaymentRefundTable,
  PaymentTables,
  RefundRow,
} from '../tables.js';

export interface IntentFilter {
  customerId?: string;
  reference?: string;
  status?: IntentStatus;
  offset: number;
  limit: number;
}

/**
 * All SQL of payment intents, their refunds and attempts. An intent's reference is claimed with one
 * INSERT ... ON CONFLICT DO NOTHING (a concurrent claim of the same reference waits for the first
 * transaction, then finds its intent); changes to an intent run under its row lock.
 */
export class IntentRepository {
  constructor(
    private readonly uow: UnitOfWork<PaymentTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): IntentRepository {
    return new IntentRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<PaymentTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  /** Claims a reference with a new intent; null when the reference is taken. */
  async claim(row: Insertable<PaymentIntentTable>): Promise<IntentRow | null> {
    const inserted = await this.q
      .insertInto('payment_intents')
      .values(row)
      .onConflict((oc) => oc.column('reference').doNothing())
      .returningAll()
      .executeTakeFirst();
    return inserted ?? null;
  }

  /** An intent by id (lockWithAttempts takes one for a change). */
  async findById(id: string): Promise<IntentRow | null> {
    return (
      (await this.q.selectFrom('payment_intents').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    );
  }

  async findByReference(reference: string): Promise<IntentRow | null> {
    const row = await this.q
      .selectFrom('payment_intents')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirst();
    return row ?? null;
  }

  /** The intent of a provider's charge, locked for update. */
  async lockByProviderRef(provider: string, providerRef: string): Promise<IntentRow | null> {
    const row = await this.q
      .selectFrom('payment_intents')
      .selectAll()
      .where('provider', '=', provider)
      .where('provider_ref', '=', providerRef)
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Changes an intent; `alongside` are written in the same statement (see the kernel's withWrites). */
  async update(
    id: string,
    changes: Updateable<PaymentIntentTable>,
    alongside: readonly OperationNodeSource[] = [],
  ): Promise<IntentRow> {
    return withWrites(this.q as QueryCreator<PaymentTables>, alongside)
      .updateTable('payment_intents')
      .set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** One page of intents, newest first, and how many match. */
  async page(filter: IntentFilter): Promise<{ rows: IntentRow[]; total: number }> {
    let base = this.q.selectFrom('payment_intents');
    if (filter.customerId !== undefined) base = base.where('customer_id', '=', filter.customerId);
    if (filter.reference !== undefined) base = base.where('reference', '=', filter.reference);
    if (filter.status !== undefined) base = base.where('status', '=', filter.status);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').offset(filter.offset).limit(filter.limit).execute(),
      base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: count.total };
  }

  /** The refunds of some intents, oldest first. */
  async refundsOf(intentIds: readonly string[]): Promise<RefundRow[]> {
    if (intentIds.length === 0) return [];
    return this.q
      .selectFrom('payment_refunds')
      .selectAll()
      .where('intent_id', 'in', intentIds)
      .orderBy('id')
      .execute();
  }

  async findRefund(intentId: string, reference: string): Promise<RefundRow | null> {
    const row = await this.q
      .selectFrom('payment_refunds')
      .selectAll()
      .where('intent_id', '=', intentId)
      .where('reference', '=', reference)
      .executeTakeFirst();
    return row ?? null;
  }

  async insertRefund(row: Insertable<PaymentRefundTable>): Promise<RefundRow> {
    return this.q.insertInto('payment_refunds').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async insertAttempt(row: Insertable<PaymentAttemptTable>): Promise<void> {
    await this.attemptInsert(row).execute();
  }

  /** The insert of an attempt, not yet run (to write it along with the intent's change). */
  attemptInsert(row: Insertable<PaymentAttemptTable>) {
    return this.q.insertInto('payment_attempts').values(row);
  }

  /** An intent locked for update, with how many calls of an operation were made for it; null when there is none. */
  async lockWithAttempts(
    id: string,
    operation: PaymentOperation,
  ): Promise<(IntentRow & { attempts: number }) | null> {
    const row = await this.q
      .selectFrom('payment_intents as i')
      .selectAll('i')
      .select((eb) =>
        eb
          .selectFrom('payment_attempts as a')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('a.intent_id', '=', 'i.id')
          .where('a.operation', '=', operation)
          .as('attempts'),
      )
      .where('i.id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row ? { ...row, attempts: row.attempts ?? 0 } : null;
  }

  async attemptsOf(intentId: string): Promise<AttemptRow[]> {
    return this.q
      .selectFrom('payment_attempts')
      .selectAll()
      .where('intent_id', '=', intentId)
      .orderBy('id')
      .execute();
  }
}
