import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { CartTables, DiscountRow, DiscountTable, RedemptionRow } from '../tables.js';

/**
 * All SQL of discount codes and their redemptions. A use is taken by one conditional UPDATE whose
 * WHERE clause states every rule (active, in its window, under its limit), so concurrent checkouts
 * can never use a code more often than its limit allows.
 */
export class DiscountRepository {
  constructor(
    private readonly uow: UnitOfWork<CartTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): DiscountRepository {
    return new DiscountRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<CartTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  /** Inserts a discount; null when its code is taken (codes are unique without regard to case). */
  async insert(row: Insertable<DiscountTable>): Promise<DiscountRow | null> {
    const inserted = await this.q
      .insertInto('discounts')
      .values(row)
      .onConflict((oc) => oc.expression(sql`upper(code)`).doNothing())
      .returningAll()
      .executeTakeFirst();
    return inserted ?? null;
  }

  async update(id: string, changes: Updateable<DiscountTable>): Promise<DiscountRow | null> {
    const row = await this.q
      .updateTable('discounts')
      .set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async list(): Promise<DiscountRow[]> {
    return this.q.selectFrom('discounts').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  }

  /** A discount by id; `lock` takes its row for update (inside a transaction). */
  async findById(id: string, lock = false): Promise<DiscountRow | null> {
    let query = this.q.selectFrom('discounts').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return (await query.executeTakeFirst()) ?? null;
  }

  async findByCode(code: string): Promise<DiscountRow | null> {
    const row = await this.q
      .selectFrom('discounts')
      .selectAll()
      .where(sql`upper(code)`, '=', code.toUpperCase())
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Claims an order reference for a redemption; false when it is already taken (a concurrent claim
   * of the same reference waits here until the first transaction ends).
   */
  async claimRedemption(orderRef: string, discountId: string, customerId: string | null): Promise<boolean> {
    const row = await this.q
      .insertInto('discount_redemptions')
      .values({ order_ref: orderRef, discount_id: discountId, customer_id: customerId, status: 'redeemed' })
      .onConflict((oc) => oc.column('order_ref').doNothing())
      .returning('order_ref')
      .executeTakeFirst();
    return row !== undefined;
  }

  async findRedemption(orderRef: string): Promise<(RedemptionRow & { code: string }) | null> {
    const row = await this.q
      .selectFrom('discount_redemptions as r')
      .innerJoin('discounts as d', 'd.id', 'r.discount_id')
      .selectAll('r')
      .select('d.code')
      .where('r.order_ref', '=', orderRef)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Takes one use of a discount if it is active, within its window and under its limit, in one
   * statement; the row stays locked until the transaction ends, which orders the per-customer
   * count that follows. Null when refused.
   */
  async takeUse(id: string): Promise<DiscountRow | null> {
    const row = await this.q
      .updateTable('discounts')
      .set({ used: sql`used + 1` })
      .where('id', '=', id)
      .where('active', '=', true)
      .where(sql<boolean>`(usage_limit is null or used < usage_limit)`)
      .where(sql<boolean>`(starts_at is null or starts_at <= now())`)
      .where(sql<boolean>`(ends_at is null or ends_at > now())`)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Gives one use back. */
  async returnUse(id: string): Promise<void> {
    await this.q
      .updateTable('discounts')
      .set({ used: sql`used - 1` })
      .where('id', '=', id)
      .where('used', '>', 0)
      .execute();
  }

  /** Redemptions of a discount by a customer that still count. */
  async countRedemptions(discountId: string, customerId: string): Promise<number> {
    const row = await this.q
      .selectFrom('discount_redemptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('discount_id', '=', discountId)
      .where('customer_id', '=', customerId)
      .where('status', '=', 'redeemed')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks a redemption released; its discount id when this call released it, null when it was not redeemed. */
  async releaseRedemption(orderRef: string): Promise<string | null> {
    const row = await this.q
      .updateTable('discount_redemptions')
      .set({ status: 'released', released_at: sql`now()` })
      .where('order_ref', '=', orderRef)
      .where('status', '=', 'redeemed')
      .returning('discount_id')
      .executeTakeFirst();
    return row?.discount_id ?? null;
  }
}
