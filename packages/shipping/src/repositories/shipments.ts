import { sql, type Kysely } from 'kysely';
import { newId, type RequestContext, type UnitOfWork } from '@shopstack/kernel';
import type { ShipmentRow, ShipmentStatus, ShippingTables, TrackingEventRow } from '../tables.js';

export interface NewShipment {
  id: string;
  order_id: string;
  customer_id: string | null;
  method_code: string;
  method_name: string;
  carrier: string;
  tracking_number: string;
  address: unknown;
  items: unknown;
  next_step_at: Date;
}

/** All SQL of shipments and their tracking events; queries join the context's open transaction. */
export class ShipmentRepository {
  constructor(
    private readonly uow: UnitOfWork<ShippingTables>,
    private readonly schema: string,
  ) {}

  private q(ctx: RequestContext): Kysely<ShippingTables> {
    return this.uow.db(ctx).withSchema(this.schema);
  }

  /**
   * Inserts the order's shipment unless it has one: null when another call got there first (the
   * unique order_id decides, so concurrent calls cannot create two).
   */
  async insertOnce(ctx: RequestContext, shipment: NewShipment): Promise<ShipmentRow | null> {
    const row = await this.q(ctx)
      .insertInto('shipments')
      .values({
        ...shipment,
        status: 'pending',
        address: sql`${JSON.stringify(shipment.address)}::jsonb`,
        items: sql`${JSON.stringify(shipment.items)}::jsonb`,
      })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async findByOrder(ctx: RequestContext, orderId: string): Promise<ShipmentRow | null> {
    return (
      (await this.q(ctx)
        .selectFrom('shipments')
        .selectAll()
        .where('order_id', '=', orderId)
        .executeTakeFirst()) ?? null
    );
  }

  async find(ctx: RequestContext, id: string): Promise<ShipmentRow | null> {
    return (
      (await this.q(ctx).selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    );
  }

  /** Newest first, filtered by status or order. */
  async list(
    ctx: RequestContext,
    filter: { status?: ShipmentStatus; orderId?: string },
    limit: number,
  ): Promise<ShipmentRow[]> {
    let query = this.q(ctx).selectFrom('shipments').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /**
   * Moves the shipment from one of `from` to `to` in one conditional statement: null when it was in
   * none of them (someone else moved it first), so a step never happens twice.
   */
  async move(
    ctx: RequestContext,
    id: string,
    from: readonly ShipmentStatus[],
    to: ShipmentStatus,
    nextStepAt: Date | null,
  ): Promise<ShipmentRow | null> {
    const row = await this.q(ctx)
      .updateTable('shipments')
      .set({ status: to, next_step_at: nextStepAt, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', from)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Shipments whose next step is due, locked until the transaction ends; rows another process holds
   * are skipped, so two carriers never take the same step.
   */
  async claimDue(ctx: RequestContext, now: Date, limit: number): Promise<ShipmentRow[]> {
    return this.q(ctx)
      .selectFrom('shipments')
      .selectAll()
      .where('next_step_at', '<=', now)
      .where('status', 'in', ['pending', 'label_created', 'in_transit'])
      .orderBy('next_step_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  async addTrackingEvent(
    ctx: RequestContext,
    event: { shipment_id: string; status: ShipmentStatus; description: string },
  ): Promise<void> {
    await this.q(ctx)
      .insertInto('tracking_events')
      .values({ id: newId(), ...event, occurred_at: new Date() })
      .execute();
  }

  /** Tracking events of the shipments, oldest first, by shipment. */
  async trackingOf(ctx: RequestContext, shipmentIds: string[]): Promise<Map<string, TrackingEventRow[]>> {
    const byShipment = new Map<string, TrackingEventRow[]>(shipmentIds.map((id) => [id, []]));
    if (!shipmentIds.length) return byShipment;
    const rows = await this.q(ctx)
      .selectFrom('tracking_events')
      .selectAll()
      .where('shipment_id', 'in', shipmentIds)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
    for (const row of rows) byShipment.get(row.shipment_id)?.push(row);
    return byShipment;
  }

  /** The name of the method with this code in the zone that holds the country, if any. */
  async methodName(ctx: RequestContext, code: string, country: string): Promise<string | null> {
    const row = await this.q(ctx)
      .selectFrom('methods as m')
      .innerJoin('zone_countries as c', 'c.zone_id', 'm.zone_id')
      .select('m.name')
      .where('m.code', '=', code)
      .where('c.country', '=', country)
      .executeTakeFirst();
    return row?.name ?? null;
  }
}
