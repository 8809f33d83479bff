import { createHash, timingSafeEqual } from 'node:crypto';
import {
  assertInput,
  authorize,
  Conflict,
  InvalidParameter,
  NotFound,
  requireCustomer,
  STAFF,
  type AccessRule,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { OrderRepository, type OrderFilter, type PageAfter } from '../repositories/orders.js';
import {
  CancelOrderInput,
  FulfilmentInput,
  RefundOrderInput,
  type MyOrdersQuery,
  type Order,
  type OrderList,
  type OrderLookupInput,
  type StaffOrdersQuery,
} from '../schemas/order.js';
import type { OrderRow, OrderStatus, OrdersTables } from '../tables.js';
import { invalidTransition, PAID_STATUSES, statusesBefore } from './order-states.js';
import { ignoreMissing } from './missing.js';
import { orderSummary, orderView } from './order-view.js';

/** Who may read any order and move it along its fulfilment: staff, and the services that fulfil and review. */
export const READS_ORDERS: AccessRule = { staff: true, services: ['dispatch', 'ratings', 'notifications'] };
export const FULFILS: AccessRule = { staff: true, services: ['dispatch'] };

export function hashAccessKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function notFound(id: string): NotFound {
  return new NotFound(`There is no order ${id}.`, { code: 'order_not_found' });
}

function encodeCursor(row: { placed_at: Date; id: string }): string {
  return Buffer.from(`${new Date(row.placed_at).toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): PageAfter {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const placedAt = new Date(at ?? '');
  if (!id || Number.isNaN(placedAt.getTime()) || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new InvalidParameter('cursor', 'is not a cursor of this listing', 'querystring', {
      code: 'invalid_cursor',
    });
  }
  return { placedAt, id };
}

/** The event announcing a move to each status, written in the move's transaction. */
const EVENT_OF: Partial<Record<OrderStatus, string>> = {
  paid: 'OrderPaid',
  fulfilling: 'OrderFulfilmentStarted',
  shipped: 'OrderShipped',
  delivered: 'OrderDelivered',
  cancelled: 'OrderCancelled',
  refunded: 'OrderRefunded',
};

/**
 * Orders after checkout: what customers and staff read, and the moves staff (and dispatch) make —
 * fulfilment steps, cancelling (which refunds and gives the stock back) and refunds.
 */
export class OrderService {
  readonly repo: OrderRepository;

  constructor(private readonly runtime: ServiceRuntime<OrdersTables>) {
    this.repo = new OrderRepository(runtime.uow, runtime.schema);
  }

  /** An order with its lines and timeline. */
  async view(ctx: RequestContext, row: OrderRow): Promise<Order> {
    const { lines, timeline } = await this.repo.in(ctx).details(row.id);
    return orderView(row, lines, timeline);
  }

  /**
   * An order as its owner sees it: a customer their own, a guest with the key of their order link,
   * staff any. Everyone else gets NotFound, as if it did not exist.
   */
  async get(ctx: RequestContext, id: string, accessKey?: string): Promise<Order> {
    const row = await this.repo.in(ctx).find(id);
    if (!row || !this.mayRead(ctx, row, accessKey)) throw notFound(id);
    return this.view(ctx, row);
  }

  private mayRead(ctx: RequestContext, row: OrderRow, accessKey?: string): boolean {
    if (ctx.actor.kind === 'staff') return true;
    if (ctx.caller !== undefined && READS_ORDERS.services?.includes(ctx.caller)) return true;
    if (ctx.actor.kind === 'customer' && row.customer_id === ctx.actor.id) return true;
    if (accessKey !== undefined && row.access_key_hash) {
      const given = Buffer.from(hashAccessKey(accessKey));
      const kept = Buffer.from(row.access_key_hash);
      return given.length === kept.length && timingSafeEqual(given, kept);
    }
    return false;
  }

  /** A guest finds their order by its number and the e-mail address it was placed with. */
  async lookup(ctx: RequestContext, input: OrderLookupInput): Promise<Order> {
    const row = await this.repo.in(ctx).findByNumberAndEmail(input.number, input.email.trim().toLowerCase());
    if (!row) {
      throw new NotFound('No order has this number and e-mail address.', { code: 'order_not_found' });
    }
    return this.view(ctx, row);
  }

  /** The signed-in customer's orders, newest first. */
  async listMine(ctx: RequestContext, query: MyOrdersQuery): Promise<OrderList> {
    const customerId = requireCustomer(ctx, 'list their orders');
    return this.page(ctx, { customerId }, query.limit, query.cursor);
  }

  /** Every order, filtered, for staff. */
  async list(ctx: RequestContext, query: StaffOrdersQuery): Promise<OrderList> {
    authorize(ctx, READS_ORDERS, 'list orders');
    const filter: OrderFilter = {};
    if (query.status !== undefined) filter.status = query.status as OrderStatus;
    if (query.q !== undefined) filter.q = query.q;
    if (query.customerId !== undefined) filter.customerId = query.customerId;
    if (query.sku !== undefined) filter.sku = query.sku;
    if (query.placedFrom !== undefined) filter.placedFrom = query.placedFrom;
    if (query.placedTo !== undefined) filter.placedTo = query.placedTo;
    return this.page(ctx, filter, query.limit, query.cursor);
  }

  private async page(
    ctx: RequestContext,
    filter: OrderFilter,
    limit: number,
    cursor?: string,
  ): Promise<OrderList> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.repo.in(ctx).list(filter, limit, after);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      items: page.map(orderSummary),
      nextCursor: more ? encodeCursor(page[page.length - 1]!) : null,
    };
  }

  /** Any order, for staff and the services that fulfil and review. */
  async getForStaff(ctx: RequestContext, id: string): Promise<Order> {
    authorize(ctx, READS_ORDERS, 'read orders');
    const row = await this.repo.in(ctx).find(id);
    if (!row) throw notFound(id);
    return this.view(ctx, row);
  }

  /** Whether a customer bought a product (an order of it that was paid and not cancelled or refunded). */
  async customerBought(ctx: RequestContext, customerId: string, productId: string): Promise<boolean> {
    authorize(ctx, READS_ORDERS, 'check purchases');
    return this.repo.in(ctx).customerBought(customerId, productId);
  }

  /**
   * Moves an order in one transaction: the conditional status change, its timeline entry and its
   * event. An order not in a status that may move to `to` is refused with invalid_transition.
   */
  async move(
    ctx: RequestContext,
    id: string,
    to: OrderStatus,
    note: string | null,
    patch: { settlement_pending?: boolean } = {},
  ): Promise<OrderRow> {
    return this.runtime.uow.transaction(ctx, async (tx) => {
      const repo = this.repo.in(tx);
      const moved = await repo.move(id, statusesBefore(to), to, ctx.actor, note, patch);
      if (!moved) {
        const current = await repo.find(id);
        if (!current) throw notFound(id);
        throw invalidTransition(id, current.status, to);
      }
      const type = EVENT_OF[to];
      if (type)
        await this.runtime.outbox.emit(tx, {
          type,
          aggregate: id,
          data: this.moveData(moved.order, to, moved.from),
        });
      return moved.order;
    });
  }

  /** The data of the event announcing a move of `order` (as it is after the move, or as it was before it). */
  moveData(order: OrderRow, to: OrderStatus, from: OrderStatus = order.status) {
    return {
      orderId: order.id,
      number: order.number,
      from,
      to,
      customerId: order.customer_id,
      email: order.email,
      total: { amount: order.total, currency: order.currency },
      refunded: { amount: order.refunded, currency: order.currency },
    };
  }

  /** Marks a fulfilment step (fulfilling, shipped, delivered); steps go in order. */
  async fulfil(ctx: RequestContext, id: string, input: FulfilmentInput): Promise<Order> {
    authorize(ctx, FULFILS, 'mark fulfilment steps');
    assertInput(FulfilmentInput, input);
    const row = await this.move(ctx, id, input.status, input.note ?? null);
    ctx.log.info({ orderId: id, status: input.status }, 'order fulfilment step');
    return this.view(ctx, row);
  }

  /**
   * Cancels an order that has not shipped: the cancellation is recorded first (with its event),
   * then the money is given back (void or refund) and the stock returned. Should either fail, the
   * order says settlementPending and the recovery job finishes it.
   */
  async cancel(ctx: RequestContext, id: string, input: CancelOrderInput): Promise<Order> {
    authorize(ctx, STAFF, 'cancel orders');
    assertInput(CancelOrderInput, input);
    // Every order that may be cancelled holds an authorization or a payment, and stock.
    const row = await this.move(ctx, id, 'cancelled', input.reason ?? null, { settlement_pending: true });
    const settled = await this.settle(ctx, row).catch((err: unknown) => {
      ctx.log.warn({ err, orderId: id }, 'cancelled order not settled yet; the recovery job retries');
      return row;
    });
    return this.view(ctx, settled);
  }

  /**
   * Gives a cancelled order's money and stock back. Every call is idempotent (keyed by the order),
   * so settling again after a crash gives back nothing twice.
   */
  async settle(ctx: RequestContext, row: OrderRow): Promise<OrderRow> {
    const payment = this.runtime.clients.get('payment');
    const catalogue = this.runtime.clients.get('catalogue');
    let refunded = row.refunded;
    if (row.payment_intent_id) {
      let intent = await payment.getIntent(ctx, row.payment_intent_id);
      if (intent.status === 'authorized') intent = await payment.voidIntent(ctx, intent.id);
      else if (intent.amountCaptured > intent.amountRefunded) {
        intent = await payment.refund(ctx, intent.id, {
          amount: intent.amountCaptured - intent.amountRefunded,
          reason: 'order cancelled',
          reference: `cancel-${row.id}`,
        });
      }
      refunded = intent.amountRefunded;
    }
    // A catalogue that cannot answer fails the settlement (retried later); only a missing reservation is none.
    const reservation = await ignoreMissing(catalogue.getReservation(ctx, row.checkout_id));
    if (reservation?.status === 'committed') await catalogue.restockStock(ctx, row.checkout_id);
    else if (reservation?.status === 'reserved') await catalogue.releaseStock(ctx, row.checkout_id);
    return this.runtime.uow.transaction(ctx, async (tx) => {
      const repo = this.repo.in(tx);
      const delta = Math.max(0, refunded - row.refunded);
      const updated = delta > 0 ? ((await repo.addRefunded(row.id, delta)) ?? row) : row;
      await repo.setSettlementPending(row.id, false);
      if (delta > 0) {
        await this.runtime.outbox.emit(tx, {
          type: 'OrderRefunded',
          aggregate: row.id,
          data: {
            orderId: row.id,
            number: row.number,
            amount: { amount: delta, currency: row.currency },
            refunded: { amount: updated.refunded, currency: row.currency },
            reason: 'order cancelled',
          },
        });
      }
      return { ...updated, settlement_pending: false };
    });
  }

  /**
   * Refunds all that is left (default) or part of a paid order. A refund of the whole amount ends
   * the order as refunded; a partial one leaves its status as it was.
   */
  async refund(ctx: RequestContext, id: string, input: RefundOrderInput, reference?: string): Promise<Order> {
    authorize(ctx, STAFF, 'refund orders');
    assertInput(RefundOrderInput, input);
    const row = await this.repo.in(ctx).find(id);
    if (!row) throw notFound(id);
    if (!PAID_STATUSES.includes(row.status) || !row.payment_intent_id)
      throw invalidTransition(id, row.status, 'refunded');
    const left = row.total - row.refunded;
    const amount = input.amount ?? left;
    if (amount > left) {
      throw new Conflict(`Only ${left} of this order's total is left to refund.`, {
        code: 'refund_exceeds_paid',
        refundable: left,
      });
    }
    const intent = await this.runtime.clients.get('payment').refund(ctx, row.payment_intent_id, {
      amount,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
      reference: reference ?? `refund-${id}-${Date.now()}`,
    });
    const updated = await this.runtime.uow.transaction(ctx, async (tx) => {
      const repo = this.repo.in(tx);
      const current = (await repo.find(id))!;
      const delta = Math.max(0, intent.amountRefunded - current.refunded);
      let after = delta > 0 ? ((await repo.addRefunded(id, delta)) ?? current) : current;
      await this.runtime.outbox.emit(tx, {
        type: 'OrderRefunded',
        aggregate: id,
        data: {
          orderId: id,
          number: current.number,
          amount: { amount: delta, currency: current.currency },
          refunded: { amount: after.refunded, currency: current.currency },
          reason: input.reason ?? null,
        },
      });
      if (after.refunded >= after.total && PAID_STATUSES.includes(after.status)) {
        const moved = await repo.move(id, PAID_STATUSES, 'refunded', ctx.actor, input.reason ?? null);
        if (moved) after = moved.order;
      }
      return after;
    });
    ctx.log.info({ orderId: id, amount }, 'order refunded');
    return this.view(ctx, updated);
  }
}
