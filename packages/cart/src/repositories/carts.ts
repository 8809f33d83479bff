import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { CartLineRow, CartRow, CartTables } from '../tables.js';

/** A cart row with its lines, oldest line first. */
export interface CartRecord {
  cart: CartRow;
  lines: CartLineRow[];
}

const cartColumns = [
  'c.id',
  'c.token_hash',
  'c.customer_id',
  'c.status',
  'c.currency',
  'c.country',
  'c.shipping_method',
  'c.discount_id',
  'c.order_ref',
  'c.created_at',
  'c.updated_at',
] as const;

/**
 * All SQL of carts and their lines. Writes to a line touch the cart in the same statement (a CTE),
 * and only while the cart is active, so one request is a read plus one write.
 */
export class CartRepository {
  constructor(
    private readonly uow: UnitOfWork<CartTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  /** This repository as a context sees it: its queries join the context's open transaction. */
  in(ctx: RequestContext): CartRepository {
    return new CartRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<CartTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  async insertCart(row: {
    id: string;
    token_hash: string | null;
    customer_id: string | null;
    currency: string;
  }): Promise<CartRow | null> {
    let insert = this.q.insertInto('carts').values({ ...row, status: 'active' });
    // A customer has one active cart: a concurrent second creation finds the first instead. The
    // partial index's condition is written as a literal: a prepared statement's generic plan could
    // not tell that a parameter matches it.
    if (row.customer_id !== null) {
      insert = insert.onConflict((oc) =>
        oc
          .column('customer_id')
          .where('status', '=', sql.lit('active'))
          .where('customer_id', 'is not', null)
          .doNothing(),
      );
    }
    return (await insert.returningAll().executeTakeFirst()) ?? null;
  }

  /** The cart and its lines in one statement; `lock` takes the cart row for update (inside a transaction). */
  async find(id: string, lock = false): Promise<CartRecord | null> {
    let query = this.q
      .selectFrom('carts as c')
      .leftJoin('cart_lines as l', 'l.cart_id', 'c.id')
      .select(cartColumns)
      .select([
        'l.id as line_id',
        'l.product_id',
        'l.variant_id',
        'l.sku',
        'l.quantity',
        'l.created_at as line_created_at',
      ])
      .where('c.id', '=', id)
      .orderBy('l.created_at')
      .orderBy('l.id');
    if (lock) query = query.forUpdate('c');
    const rows = await query.execute();
    const first = rows[0];
    if (!first) return null;
    const cart: CartRow = {
      id: first.id,
      token_hash: first.token_hash,
      customer_id: first.customer_id,
      status: first.status,
      currency: first.currency,
      country: first.country,
      shipping_method: first.shipping_method,
      discount_id: first.discount_id,
      order_ref: first.order_ref,
      created_at: first.created_at,
      updated_at: first.updated_at,
    };
    const lines: CartLineRow[] = [];
    for (const row of rows) {
      if (row.line_id === null) continue;
      lines.push({
        id: row.line_id,
        cart_id: cart.id,
        product_id: row.product_id!,
        variant_id: row.variant_id!,
        sku: row.sku!,
        quantity: row.quantity!,
        created_at: row.line_created_at!,
      });
    }
    return { cart, lines };
  }

  /** The id of a customer's active cart, if any. */
  async findActiveOf(customerId: string): Promise<string | null> {
    const row = await this.q
      .selectFrom('carts')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** Ends a customer's active cart that has been idle since before the cutoff; true if one was. */
  async expireIdleOf(customerId: string, cutoff: Date): Promise<boolean> {
    const result = await this.q
      .updateTable('carts')
      .set({ status: 'expired' })
      .where('customer_id', '=', customerId)
      .where('status', '=', 'active')
      .where('updated_at', '<', cutoff)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Adds units of a variant (a new line, or more of the line that holds it) unless the line would
   * pass `max` units, and touches the cart; null when refused or the cart is not active. Answers
   * the line and the cart's new updated_at.
   */
  async addUnits(
    cartId: string,
    line: { id: string; product_id: string; variant_id: string; sku: string; quantity: number },
    max: number,
  ): Promise<{ id: string; quantity: number; updated_at: Date } | null> {
    const t = (name: string) => sql.table(`${this.schema}.${name}`);
    const result = await sql<{ id: string; quantity: number; updated_at: Date }>`
      with touched as (
        update ${t('carts')} set updated_at = now() where id = ${cartId} and status = 'active'
        returning id, updated_at
      )
      insert into ${t('cart_lines')} as l (id, cart_id, product_id, variant_id, sku, quantity)
      select ${line.id}, id, ${line.product_id}, ${line.variant_id}, ${line.sku}, ${line.quantity} from touched
      on conflict (cart_id, variant_id) do update
        set quantity = l.quantity + excluded.quantity, product_id = excluded.product_id, sku = excluded.sku
        where l.quantity + excluded.quantity <= ${max}
      returning id, quantity, (select updated_at from touched)`.execute(this.uow.db(this.ctx));
    return result.rows[0] ?? null;
  }

  /** Sets a line's quantity and touches the cart; false when the line or an active cart is not there. */
  async setQuantity(cartId: string, lineId: string, quantity: number): Promise<boolean> {
    const t = (name: string) => sql.table(`${this.schema}.${name}`);
    const result = await sql<{ id: string }>`
      with touched as (
        update ${t('carts')} set updated_at = now() where id = ${cartId} and status = 'active' returning id
      )
      update ${t('cart_lines')} set quantity = ${quantity}
      where id = ${lineId} and cart_id in (select id from touched)
      returning id`.execute(this.uow.db(this.ctx));
    return result.rows.length > 0;
  }

  /** Removes a line and touches the cart; false when the line or an active cart is not there. */
  async deleteLine(cartId: string, lineId: string): Promise<boolean> {
    const t = (name: string) => sql.table(`${this.schema}.${name}`);
    const result = await sql<{ id: string }>`
      with touched as (
        update ${t('carts')} set updated_at = now() where id = ${cartId} and status = 'active' returning id
      )
      delete from ${t('cart_lines')} where id = ${lineId} and cart_id in (select id from touched)
      returning id`.execute(this.uow.db(this.ctx));
    return result.rows.length > 0;
  }

  /** Changes cart-level choices (discount, destination, shipping method, owner) of an active cart and touches it. */
  async update(
    cartId: string,
    changes: Partial<
      Pick<CartRow, 'discount_id' | 'country' | 'shipping_method' | 'customer_id' | 'token_hash'>
    >,
  ): Promise<CartRow | null> {
    const row = await this.q
      .updateTable('carts')
      .set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', cartId)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Marks an active cart, changed since the cutoff (not idle past its expiry), completed as the
   * given order, in one conditional update; null when the cart is not active or expired. Fails with
   * a unique violation (carts_order_ref_idx) when another cart was completed as that order.
   */
  /** Completes an active cart not idle since idleCutoff; the cart as completed with its lines, or null when it was not. */
  async complete(cartId: string, orderRef: string, idleCutoff: Date): Promise<CartRecord | null> {
    const row = await this.q
      .with('done', (db) =>
        db
          .updateTable('carts')
          .set({ status: 'completed', order_ref: orderRef, updated_at: sql`now()` })
          .where('id', '=', cartId)
          .where('status', '=', 'active')
          .where('updated_at', '>', idleCutoff)
          .returningAll(),
      )
      .selectFrom('done')
      .selectAll('done')
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('cart_lines as l')
            .selectAll('l')
            .whereRef('l.cart_id', '=', 'done.id')
            .orderBy('l.created_at')
            .orderBy('l.id'),
        ).as('lines'),
      )
      .executeTakeFirst();
    if (!row) return null;
    const { lines, ...cart } = row;
    // The lines come as JSON, their times as text.
    return { cart, lines: lines.map((line) => ({ ...line, created_at: new Date(line.created_at) })) };
  }

  /** Closes a guest cart whose lines went to a customer's cart. */
  async markMerged(cartId: string): Promise<void> {
    await this.q
      .updateTable('carts')
      .set({ status: 'merged', updated_at: sql`now()` })
      .where('id', '=', cartId)
      .execute();
  }

  /** Sets a line's quantity outright, inserting it when the cart has no line of the variant (merging). */
  async putLine(
    cartId: string,
    line: { id: string; product_id: string; variant_id: string; sku: string; quantity: number },
  ): Promise<void> {
    await this.q
      .insertInto('cart_lines')
      .values({ ...line, cart_id: cartId })
      .onConflict((oc) =>
        oc.columns(['cart_id', 'variant_id']).doUpdateSet({ quantity: line.quantity, sku: line.sku }),
      )
      .execute();
  }
}
