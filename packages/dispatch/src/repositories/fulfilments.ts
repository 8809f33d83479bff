import type { Kysely } from 'kysely';
import { newId, type RequestContext, type UnitOfWork } from '@shopstack/kernel';
import type { DispatchTables, FulfilmentRow, FulfilmentStatus, FulfilmentStepRow } from '../tables.js';

/** The order in which a fulfilment moves on; stopped is outside it. */
const PROGRESS: readonly FulfilmentStatus[] = [
  'started',
  'shipment_created',
  'fulfilling',
  'shipped',
  'delivered',
];

/** All SQL of fulfilments and their steps; queries join the context's open transaction. */
export class FulfilmentRepository {
  constructor(
    private readonly uow: UnitOfWork<DispatchTables>,
    private readonly schema: string,
  ) {}

  private q(ctx: RequestContext): Kysely<DispatchTables> {
    return this.uow.db(ctx).withSchema(this.schema);
  }

  /**
   * The order's fulfilment, created as started if it has none, locked until the transaction ends:
   * two handlers of one order's events run one after the other.
   */
  async lockOrStart(ctx: RequestContext, orderId: string): Promise<FulfilmentRow> {
    await this.q(ctx)
      .insertInto('fulfilments')
      .values({ order_id: orderId, status: 'started' })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .execute();
    return this.q(ctx)
      .selectFrom('fulfilments')
      .selectAll()
      .where('order_id', '=', orderId)
      .forUpdate()
      .executeTakeFirstOrThrow();
  }

  /** Moves the fulfilment forward to `to`; one already there, further on or stopped stays as it is. */
  async advance(
    ctx: RequestContext,
    orderId: string,
    to: FulfilmentStatus,
    shipment?: { id: string; trackingNumber: string },
  ): Promise<void> {
    const before = PROGRESS.slice(0, PROGRESS.indexOf(to));
    if (!before.length) return;
    await this.q(ctx)
      .updateTable('fulfilments')
      .set({
        status: to,
        updated_at: new Date(),
        ...(shipment ? { shipment_id: shipment.id, tracking_number: shipment.trackingNumber } : {}),
      })
      .where('order_id', '=', orderId)
      .where('status', 'in', before)
      .execute();
  }

  /** Notes the order's shipment whatever the status (a later step may have overtaken its creation). */
  async setShipment(ctx: RequestContext, orderId: string, shipment: { id: string; trackingNumber: string }) {
    await this.q(ctx)
      .updateTable('fulfilments')
      .set({ shipment_id: shipment.id, tracking_number: shipment.trackingNumber, updated_at: new Date() })
      .where('order_id', '=', orderId)
      .execute();
  }

  async stop(ctx: RequestContext, orderId: string): Promise<void> {
    await this.q(ctx)
      .updateTable('fulfilments')
      .set({ status: 'stopped', updated_at: new Date() })
      .where('order_id', '=', orderId)
      .execute();
  }

  async addStep(
    ctx: RequestContext,
    orderId: string,
    step: string,
    detail: string,
    occurredAt = new Date(),
  ): Promise<void> {
    await this.q(ctx)
      .insertInto('fulfilment_steps')
      .values({ id: newId(), order_id: orderId, step, detail, occurred_at: occurredAt })
      .execute();
  }

  async find(ctx: RequestContext, orderId: string): Promise<FulfilmentRow | null> {
    return (
      (await this.q(ctx)
        .selectFrom('fulfilments')
        .selectAll()
        .where('order_id', '=', orderId)
        .executeTakeFirst()) ?? null
    );
  }

  /** Most recently changed first. */
  async list(
    ctx: RequestContext,
    filter: { status?: FulfilmentStatus },
    limit: number,
  ): Promise<FulfilmentRow[]> {
    let query = this.q(ctx).selectFrom('fulfilments').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return query.orderBy('updated_at', 'desc').orderBy('order_id').limit(limit).execute();
  }

  /** The order's steps, oldest first (ids are time-ordered, so steps of one instant keep their order). */
  async steps(ctx: RequestContext, orderId: string): Promise<FulfilmentStepRow[]> {
    return this.q(ctx)
      .selectFrom('fulfilment_steps')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
  }
}
