import { randomInt } from 'node:crypto';
import {
  assertInput,
  authorize,
  InvalidState,
  newId,
  NotFound,
  type AccessRule,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { ShipmentRepository } from '../repositories/shipments.js';
import {
  CreateShipmentInput,
  type Shipment,
  type ShipmentList,
  type ShipmentsQuery,
} from '../schemas/shipments.js';
import type { ShipmentRow, ShipmentStatus, ShippingTables } from '../tables.js';
import { toShipment } from './shipment-view.js';

/** Who ships and cancels: staff, and dispatch (which fulfils paid orders). */
export const WRITES_SHIPMENTS: AccessRule = { staff: true, services: ['dispatch'] };
/** Who reads any shipment: staff, and the services that fulfil, show and announce orders. */
export const READS_SHIPMENTS: AccessRule = { staff: true, services: ['dispatch', 'orders', 'notifications'] };

export const CARRIER = 'ShopStack Post';
const DEFAULT_METHOD = 'standard';

/** A carrier step: the status a shipment moves to from each, the event that announces it, and what tracking says. */
export interface CarrierStep {
  from: ShipmentStatus;
  to: ShipmentStatus;
  event: string;
  description: string;
  /** Which configured delay comes before the step after this one (none after delivery). */
  nextDelay?: 'inTransit' | 'delivered';
}

export const CARRIER_STEPS: Readonly<Partial<Record<ShipmentStatus, CarrierStep>>> = {
  pending: {
    from: 'pending',
    to: 'label_created',
    event: 'ShipmentLabelCreated',
    description: 'Label created; the parcel waits for pick-up',
    nextDelay: 'inTransit',
  },
  label_created: {
    from: 'label_created',
    to: 'in_transit',
    event: 'ShipmentInTransit',
    description: 'Picked up by the carrier; on its way',
    nextDelay: 'delivered',
  },
  in_transit: {
    from: 'in_transit',
    to: 'delivered',
    event: 'ShipmentDelivered',
    description: 'Delivered',
  },
};

/** Statuses from which a shipment may still be stopped: the parcel has not left. */
const CANCELLABLE: readonly ShipmentStatus[] = ['pending', 'label_created'];

function shipmentNotFound(what: string): NotFound {
  return new NotFound(`There is no shipment ${what}.`, { code: 'shipment_not_found' });
}

/** A tracking number of ShopStack Post: SP, eleven digits, and the country it ships from. */
function trackingNumber(): string {
  return `SP${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}SS`;
}

/**
 * Shipments of orders: created once per order (however often or concurrently asked), cancelled
 * until the parcel is in transit, and moved on by the carrier. Every change writes its tracking
 * event and its event in one transaction.
 */
export class ShipmentService {
  readonly repo: ShipmentRepository;

  constructor(private readonly runtime: ServiceRuntime<ShippingTables>) {
    this.repo = new ShipmentRepository(runtime.uow, runtime.schema);
  }

  /** Ships an order: its shipment, created now or earlier (a second call answers the first one's). */
  async create(ctx: RequestContext, input: CreateShipmentInput): Promise<Shipment> {
    authorize(ctx, WRITES_SHIPMENTS, 'create shipments');
    assertInput(CreateShipmentInput, input);
    const row = await this.runtime.uow.transaction(ctx, async (tx) => {
      const methodCode = input.methodCode ?? DEFAULT_METHOD;
      const delay = this.runtime.config.shipping.carrierDelaysMs.labelCreated;
      const created = await this.repo.insertOnce(tx, {
        id: newId(),
        order_id: input.orderId,
        customer_id: input.customerId,
        method_code: methodCode,
        method_name: (await this.repo.methodName(tx, methodCode, input.address.country)) ?? methodCode,
        carrier: CARRIER,
        tracking_number: trackingNumber(),
        address: input.address,
        items: input.items,
        next_step_at: new Date(Date.now() + delay),
      });
      if (!created) return (await this.repo.findByOrder(tx, input.orderId))!;
      await this.record(tx, created, 'ShipmentCreated', `Shipment registered with ${CARRIER}`);
      ctx.log.info({ orderId: input.orderId, shipmentId: created.id }, 'shipment created');
      return created;
    });
    return this.view(ctx, row);
  }

  /**
   * Stops the order's shipment before the parcel leaves. One already cancelled is answered as it
   * is; one in transit or delivered is refused with shipment_in_transit.
   */
  async cancel(ctx: RequestContext, orderId: string): Promise<Shipment> {
    authorize(ctx, WRITES_SHIPMENTS, 'cancel shipments');
    const row = await this.runtime.uow.transaction(ctx, async (tx) => {
      const current = await this.repo.findByOrder(tx, orderId);
      if (!current) throw shipmentNotFound(`for order ${orderId}`);
      const cancelled = await this.repo.move(tx, current.id, CANCELLABLE, 'cancelled', null);
      if (cancelled) {
        await this.record(tx, cancelled, 'ShipmentCancelled', 'Shipment cancelled before it left');
        return cancelled;
      }
      const now = (await this.repo.find(tx, current.id))!;
      if (now.status === 'cancelled') return now;
      throw new InvalidState(`The shipment of order ${orderId} is ${now.status}; it cannot be stopped.`, {
        code: 'shipment_in_transit',
        shipmentStatus: now.status,
      });
    });
    return this.view(ctx, row);
  }

  /** The order's shipments with their tracking ([] when it has none). */
  async forOrder(ctx: RequestContext, orderId: string): Promise<Shipment[]> {
    authorize(ctx, READS_SHIPMENTS, 'read shipments');
    const row = await this.repo.findByOrder(ctx, orderId);
    return row ? this.views(ctx, [row]) : [];
  }

  async list(ctx: RequestContext, query: ShipmentsQuery): Promise<ShipmentList> {
    authorize(ctx, READS_SHIPMENTS, 'read shipments');
    const filter: { status?: ShipmentStatus; orderId?: string } = {};
    if (query.status !== undefined) filter.status = query.status as ShipmentStatus;
    if (query.orderId !== undefined) filter.orderId = query.orderId;
    return { items: await this.views(ctx, await this.repo.list(ctx, filter, query.limit ?? 50)) };
  }

  async get(ctx: RequestContext, id: string): Promise<Shipment> {
    authorize(ctx, READS_SHIPMENTS, 'read shipments');
    const row = await this.repo.find(ctx, id);
    if (!row) throw shipmentNotFound(id);
    return this.view(ctx, row);
  }

  /**
   * The carrier's next step for a shipment the open transaction has locked: the move, its tracking
   * event and its event. False when the shipment was no longer where the step starts.
   */
  async advance(tx: RequestContext, row: ShipmentRow, now = new Date()): Promise<boolean> {
    const step = CARRIER_STEPS[row.status];
    if (!step) return false;
    const delays = this.runtime.config.shipping.carrierDelaysMs;
    const next = step.nextDelay ? new Date(now.getTime() + delays[step.nextDelay]) : null;
    const moved = await this.repo.move(tx, row.id, [step.from], step.to, next);
    if (!moved) return false;
    await this.record(tx, moved, step.event, step.description);
    return true;
  }

  /** The tracking event of a change and the event announcing it, in the change's transaction. */
  private async record(
    tx: RequestContext,
    row: ShipmentRow,
    type: string,
    description: string,
  ): Promise<void> {
    await this.repo.addTrackingEvent(tx, { shipment_id: row.id, status: row.status, description });
    await this.runtime.outbox.emit(tx, {
      type,
      aggregate: row.order_id,
      data: {
        shipmentId: row.id,
        orderId: row.order_id,
        trackingNumber: row.tracking_number,
        status: row.status,
        carrier: row.carrier,
      },
    });
  }

  private async view(ctx: RequestContext, row: ShipmentRow): Promise<Shipment> {
    return (await this.views(ctx, [row]))[0]!;
  }

  private async views(ctx: RequestContext, rows: ShipmentRow[]): Promise<Shipment[]> {
    const tracking = await this.repo.trackingOf(
      ctx,
      rows.map((r) => r.id),
    );
    return rows.map((row) => toShipment(row, tracking.get(row.id) ?? []));
  }
}
