import { sql, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { CheckoutRow, CheckoutStep, CheckoutTable, OrdersTables } from '../tables.js';

export type NewCheckout = Omit<
  CheckoutTable,
  'created_at' | 'updated_at' | 'status' | 'step' | 'order_id' | 'payment_intent_id' | 'failure_code'
>;

/** All SQL of checkouts: their progress is written as each step finishes, so a crash leaves a trail. */
export class CheckoutRepository {
  constructor(
    private readonly uow: UnitOfWork<OrdersTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): CheckoutRepository {
    return new CheckoutRepository(this.uow, this.schema, ctx);
  }

  private get q() {
    return (this.uow.db(this.ctx) as Kysely<OrdersTables>).withSchema(this.schema);
  }

  /** Starts a checkout; null when the cart already has a running or completed one. */
  async start(checkout: NewCheckout): Promise<CheckoutRow | null> {
    const row = await this.q
      .insertInto('checkouts')
      .values({ ...checkout, status: 'running', step: 'started' })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** The cart's running or completed checkout, if any. */
  async activeOfCart(cartId: string): Promise<CheckoutRow | null> {
    const row = await this.q
      .selectFrom('checkouts')
      .selectAll()
      .where('cart_id', '=', cartId)
      .where('status', 'in', ['running', 'completed'])
      .executeTakeFirst();
    return row ?? null;
  }

  async find(id: string): Promise<CheckoutRow | null> {
    return (await this.q.selectFrom('checkouts').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** Records a finished step (and what it produced) of a running checkout. */
  async reached(
    id: string,
    step: CheckoutStep,
    patch: Partial<Pick<CheckoutTable, 'order_id' | 'payment_intent_id'>> = {},
  ): Promise<void> {
    await this.progress(id, step, patch).execute();
  }

  /**
   * The update `reached` runs, not yet run: to write a step in the statement of the change it
   * records (see OrderRepository.place). With `onlyIf`, only if that statement's WITH query of the
   * name returned a row.
   */
  progress(
    id: string,
    step: CheckoutStep,
    patch: Partial<Pick<CheckoutTable, 'order_id' | 'payment_intent_id'>> = {},
    onlyIf?: string,
  ) {
    const update = this.q
      .updateTable('checkouts')
      .set({ ...patch, step, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'running');
    return onlyIf ? update.where(sql<boolean>`exists (select from ${sql.id(onlyIf)})`) : update;
  }

  /** Ends a running checkout; false when it was not running any more (another process ended it). */
  async end(
    id: string,
    status: 'completed' | 'failed',
    failureCode: string | null = null,
    step?: CheckoutStep,
  ): Promise<boolean> {
    const row = await this.q
      .updateTable('checkouts')
      .set({ status, failure_code: failureCode, updated_at: sql`now()`, ...(step ? { step } : {}) })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Claims running checkouts untouched for ageSeconds, for the recovery job: each one claimed moves
   * its updated_at to now, so a second recoverer (another process) skips it for as long again.
   */
  async claimStale(ageSeconds: number, limit: number): Promise<CheckoutRow[]> {
    const stale = this.q
      .selectFrom('checkouts')
      .select('id')
      .where('status', '=', 'running')
      .where('updated_at', '<=', sql<Date>`now() - make_interval(secs => ${ageSeconds})`)
      .orderBy('updated_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    return this.q
      .updateTable('checkouts')
      .set({ updated_at: sql`now()` })
      .where('id', 'in', stale)
      .where('status', '=', 'running')
      .returningAll()
      .execute();
  }

  /** Running checkouts (for tests and the admin's view of stuck work). */
  async running(): Promise<CheckoutRow[]> {
    return this.q.selectFrom('checkouts').selectAll().where('status', '=', 'running').execute();
  }
}
