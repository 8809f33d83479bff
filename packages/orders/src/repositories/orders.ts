import { sql, type Kysely, type OperationNodeSource } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { newId, withWrites, type Actor, type RequestContext, type UnitOfWork } from '@shopstack/kernel';
import type {
  OrderLineRow,
  OrderRow,
  OrderStatus,
  OrderTable,
  OrderTransitionRow,
  OrdersTables,
} from '../tables.js';

export type NewOrder = Omit<
  OrderTable,
  'number' | 'placed_at' | 'updated_at' | 'settlement_pending' | 'refunded'
>;

export interface OrderFilter {
  customerId?: string;
  status?: OrderStatus;
  /** An order number, or part of an e-mail address. */
  q?: string;
  sku?: string;
  placedFrom?: string;
  placedTo?: string;
}

export interface PageAfter {
  placedAt: Date;
  id: string;
}

function actorColumns(actor: Actor): { actor_kind: string; actor_id: string | null } {
  switch (actor.kind) {
    case 'anonymous':
      return { actor_kind: 'guest', actor_id: null };
    case 'service':
      return { actor_kind: 'service', actor_id: actor.name };
    default:
      return { actor_kind: actor.kind, actor_id: actor.id };
  }
}

function transition(
  orderId: string,
  from: OrderStatus | null,
  to: OrderStatus,
  actor: Actor,
  note: string | null,
): Omit<OrderTransitionRow, 'at'> {
  return { id: newId(), order_id: orderId, from_status: from, to_status: to, note, ...actorColumns(actor) };
}

/** A timeline entry as read along with the order's lines (its time as an ISO string). */
export type TimelineEntry = Omit<OrderTransitionRow, 'at'> & { at: string };

/** All SQL of orders, their lines and timeline. A status only moves by a conditional update from the status it was in. */
export class OrderRepository {
  constructor(
    private readonly uow: UnitOfWork<OrdersTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): OrderRepository {
    return new OrderRepository(this.uow, this.schema, ctx);
  }

  private get q() {
    return (this.uow.db(this.ctx) as Kysely<OrdersTables>).withSchema(this.schema);
  }

  /**
   * Writes a new order, its lines, its first timeline entry and what must be written with it (its
   * event, the checkout's progress) in one statement: all of it or nothing, in one round trip.
   */
  async place(
    order: NewOrder,
    lines: Omit<OrderLineRow, 'order_id'>[],
    actor: Actor,
    alongside: readonly OperationNodeSource[],
  ): Promise<{ order: OrderRow; lines: OrderLineRow[]; entry: OrderTransitionRow }> {
    const number = sql<string>`nextval(${`${this.schema}.order_numbers`}::regclass)::text`;
    const lineRows = lines.map((line) => ({ ...line, order_id: order.id }));
    const entry = transition(order.id, null, 'pending', actor, null);
    const query = this.q
      .with('placed', (db) =>
        db
          .insertInto('orders')
          .values({ ...order, number })
          .returningAll(),
      )
      .with('lines', (db) => db.insertInto('order_lines').values(lineRows))
      .with('entry', (db) => db.insertInto('order_transitions').values(entry).returning('at'));
    const { entry_at: at, ...placed } = await withWrites(query, alongside)
      .selectFrom('placed')
      .selectAll('placed')
      .select((eb) => eb.selectFrom('entry').select('at').as('entry_at'))
      .executeTakeFirstOrThrow();
    return { order: placed, lines: lineRows, entry: { ...entry, at: at! } };
  }

  /**
   * Moves a pending order to paid with its timeline entry and what must be written with the move
   * (its event, the checkout's progress: each written only if the order moved, see Outbox.prepare's
   * `from`), in one statement; null when the order was not pending.
   */
  async payPending(
    orderId: string,
    actor: Actor,
    alongside: readonly OperationNodeSource[],
  ): Promise<{ order: OrderRow; entry: OrderTransitionRow } | null> {
    const entry = transition(orderId, 'pending', 'paid', actor, null);
    const query = this.q
      .with('moved', (db) =>
        db
          .updateTable('orders')
          .set({ status: 'paid', updated_at: sql`now()` })
          .where('id', '=', orderId)
          .where('status', '=', 'pending')
          .returningAll(),
      )
      .with('entry', (db) =>
        db
          .insertInto('order_transitions')
          .columns(['id', 'order_id', 'from_status', 'to_status', 'note', 'actor_kind', 'actor_id'])
          .expression(
            sql`select ${entry.id}::text, ${orderId}::text, 'pending', 'paid', null::text,
              ${entry.actor_kind}::text, ${entry.actor_id}::text where exists (select from moved)`,
          )
          .returning('at'),
      );
    const moved = await withWrites(query, alongside)
      .selectFrom('moved')
      .selectAll('moved')
      .select((eb) => eb.selectFrom('entry').select('at').as('entry_at'))
      .executeTakeFirst();
    if (!moved) return null;
    const { entry_at: at, ...order } = moved;
    return { order, entry: { ...entry, at: at! } };
  }

  async find(id: string): Promise<OrderRow | null> {
    return (await this.q.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async findByCheckout(checkoutId: string): Promise<OrderRow | null> {
    const row = await this.q
      .selectFrom('orders')
      .selectAll()
      .where('checkout_id', '=', checkoutId)
      .executeTakeFirst();
    return row ?? null;
  }

  async findByNumberAndEmail(number: string, email: string): Promise<OrderRow | null> {
    const row = await this.q
      .selectFrom('orders')
      .selectAll()
      .where('number', '=', number)
      .where(sql<boolean>`lower(email) = ${email}`)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * An order's lines and timeline, in one round trip. They arrive as JSON: timestamps are ISO
   * strings there, not Dates.
   */
  async details(orderId: string): Promise<{ lines: OrderLineRow[]; timeline: TimelineEntry[] }> {
    return this.q
      .selectNoFrom((eb) => [
        jsonArrayFrom(
          eb.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('position'),
        ).as('lines'),
        jsonArrayFrom(
          eb.selectFrom('order_transitions').selectAll().where('order_id', '=', orderId).orderBy('id'),
        ).as('timeline'),
      ])
      .executeTakeFirstOrThrow();
  }

  async record(
    orderId: string,
    from: OrderStatus | null,
    to: OrderStatus,
    actor: Actor,
    note: string | null,
  ) {
    await this.q
      .insertInto('order_transitions')
      .values(transition(orderId, from, to, actor, note))
      .execute();
  }

  /**
   * Moves an order from one of `from` to `to` in one conditional update and records it on the
   * timeline; null when the order was in none of `from` (nothing changes then).
   */
  async move(
    orderId: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    actor: Actor,
    note: string | null,
    patch: { settlement_pending?: boolean } = {},
  ): Promise<{ order: OrderRow; from: OrderStatus } | null> {
    if (from.length === 1) {
      // One status to move from: the conditional update alone decides, and knows where it came from.
      const moved = await this.q
        .updateTable('orders')
        .set({ ...patch, status: to, updated_at: sql`now()` })
        .where('id', '=', orderId)
        .where('status', '=', from[0]!)
        .returningAll()
        .executeTakeFirst();
      if (!moved) return null;
      await this.record(orderId, from[0]!, to, actor, note);
      return { order: moved, from: from[0]! };
    }
    const before = await this.q
      .selectFrom('orders')
      .select('status')
      .where('id', '=', orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!before || !from.includes(before.status)) return null;
    const order = await this.q
      .updateTable('orders')
      .set({ ...patch, status: to, updated_at: sql`now()` })
      .where('id', '=', orderId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.record(orderId, before.status, to, actor, note);
    return { order, from: before.status };
  }

  /** Adds a refunded amount, never beyond the total; null when it would go beyond. */
  async addRefunded(orderId: string, amount: number): Promise<OrderRow | null> {
    const row = await this.q
      .updateTable('orders')
      .set({ refunded: sql`refunded + ${amount}`, updated_at: sql`now()` })
      .where('id', '=', orderId)
      .where(sql<boolean>`refunded + ${amount} <= total`)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async setSettlementPending(orderId: string, pending: boolean): Promise<void> {
    await this.q
      .updateTable('orders')
      .set({ settlement_pending: pending, updated_at: sql`now()` })
      .where('id', '=', orderId)
      .execute();
  }

  /** Cancelled orders whose refund or restock has not gone through, untouched for ageSeconds. */
  async claimUnsettled(ageSeconds: number, limit: number): Promise<OrderRow[]> {
    const stale = this.q
      .selectFrom('orders')
      .select('id')
      .where('settlement_pending', '=', true)
      .where('updated_at', '<=', sql<Date>`now() - make_interval(secs => ${ageSeconds})`)
      .limit(limit)
      .forUpdate()
      .skipLocked();
    return this.q
      .updateTable('orders')
      .set({ updated_at: sql`now()` })
      .where('id', 'in', stale)
      .returningAll()
      .execute();
  }

  /** A page of orders, newest first, with their item counts. */
  async list(filter: OrderFilter, limit: number, after?: PageAfter) {
    let query = this.q
      .selectFrom('orders')
      .select([
        'orders.id',
        'orders.number',
        'orders.status',
        'orders.customer_id',
        'orders.email',
        'orders.currency',
        'orders.total',
        'orders.refunded',
        'orders.placed_at',
      ])
      .select((eb) =>
        eb
          .selectFrom('order_lines')
          .whereRef('order_lines.order_id', '=', 'orders.id')
          .select(sql<number>`coalesce(sum(quantity), 0)::int`.as('n'))
          .as('item_count'),
      );
    if (filter.customerId !== undefined) query = query.where('orders.customer_id', '=', filter.customerId);
    if (filter.status !== undefined) query = query.where('orders.status', '=', filter.status);
    if (filter.placedFrom !== undefined)
      query = query.where('orders.placed_at', '>=', new Date(filter.placedFrom));
    if (filter.placedTo !== undefined)
      query = query.where('orders.placed_at', '<', new Date(filter.placedTo));
    if (filter.q !== undefined) {
      const q = filter.q.trim().toLowerCase();
      const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([eb('orders.number', '=', q), eb(sql`lower(orders.email)`, 'like', pattern)]),
      );
    }
    if (filter.sku !== undefined) {
      const sku = filter.sku;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('order_lines')
            .select('order_lines.order_id')
            .whereRef('order_lines.order_id', '=', 'orders.id')
            .where('order_lines.sku', '=', sku),
        ),
      );
    }
    if (after) {
      query = query.where(sql<boolean>`(orders.placed_at, orders.id) < (${after.placedAt}, ${after.id})`);
    }
    return query
      .orderBy('orders.placed_at', 'desc')
      .orderBy('orders.id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** Whether a customer has an order (not cancelled) with a line of the product: a verified buyer. */
  async customerBought(customerId: string, productId: string): Promise<boolean> {
    const row = await this.q
      .selectFrom('orders')
      .innerJoin('order_lines', 'order_lines.order_id', 'orders.id')
      .select('orders.id')
      .where('orders.customer_id', '=', customerId)
      .where('order_lines.product_id', '=', productId)
      .where('orders.status', 'in', ['paid', 'fulfilling', 'shipped', 'delivered'])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
