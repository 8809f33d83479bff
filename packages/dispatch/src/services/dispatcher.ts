import {
  DomainError,
  InvalidState,
  NotFound,
  type EventEnvelope,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { Order } from '@shopstack/orders';
import type { Shipment } from '@shopstack/shipping';
import type { FulfilmentRepository } from '../repositories/fulfilments.js';
import type { DispatchTables, FulfilmentStatus } from '../tables.js';

/** The data of OrderPaid and OrderCancelled (see the orders service's moveData). */
export interface OrderEventData {
  orderId: string;
  number: string;
  from: string;
  to: string;
}

/** The data of every Shipment* event. */
export interface ShipmentEventData {
  shipmentId: string;
  orderId: string;
  trackingNumber: string;
  status: string;
  carrier: string;
}

type FulfilmentMove = 'fulfilling' | 'shipped' | 'delivered';

/** The fulfilment moves of an order, in order, and how far along an order in each status is. */
const MOVES: readonly FulfilmentMove[] = ['fulfilling', 'shipped', 'delivered'];
const REACHED: Readonly<Record<string, number>> = { fulfilling: 0, shipped: 1, delivered: 2 };
/** Order statuses after which nothing is shipped any more. */
const ENDED = ['cancelled', 'refunded'];

function hasCode(err: unknown, code: string): boolean {
  return err instanceof DomainError && err.details.code === code;
}

/** A step dispatch took for an order, as it will be recorded. */
export interface StepTaken {
  step: string;
  detail: string;
  at: Date;
}

/**
 * What the calls for one event came to (prepare), for the handler to record in dispatch's own
 * tables (record): the steps taken and where the fulfilment now stands.
 */
export interface Outcome {
  orderId: string;
  steps: StepTaken[];
  /** The status the fulfilment moves forward to, if any. */
  status?: FulfilmentStatus;
  shipment?: { id: string; trackingNumber: string };
}

const step = (name: string, detail: string): StepTaken => ({ step: name, detail, at: new Date() });

/**
 * Fulfilment from order and shipment events, in two halves. The calls to orders and shipping run
 * first, outside any transaction (each consumer's `prepare`); they are idempotent by order, so a
 * delivery repeated after a crash repeats none of their effects. What they came to is then
 * recorded in the transaction the kernel opens for the event (`handle`, through `record`), which
 * commits with the record that the event was processed: the steps are written exactly once.
 */
export class Dispatcher {
  constructor(
    private readonly runtime: ServiceRuntime<DispatchTables>,
    private readonly repo: FulfilmentRepository,
  ) {}

  /** A paid order: read it, create its shipment, mark it fulfilling. */
  async fulfilPaidOrder(ctx: RequestContext, event: EventEnvelope): Promise<Outcome> {
    const { orderId, number } = event.data as OrderEventData;
    const job = await this.repo.find(ctx, orderId);
    if (job?.status === 'stopped') {
      return { orderId, steps: [step('skipped', 'The order was cancelled before it was fulfilled')] };
    }
    const steps = [step('started', `Order ${number} was paid`)];
    const order = await this.runtime.clients.get('orders').getOrder(ctx, orderId);
    if (ENDED.includes(order.status)) {
      steps.push(step('skipped', `The order is ${order.status}; nothing to ship`));
      return { orderId, steps, status: 'stopped' };
    }
    const created = await this.createShipment(ctx, order);
    const shipment = { id: created.id, trackingNumber: created.trackingNumber };
    steps.push(
      step(
        'shipment_created',
        `${created.carrier} shipment ${created.trackingNumber} (${created.method.name})`,
      ),
    );
    const note = `Shipping with ${created.carrier}, tracking number ${created.trackingNumber}`;
    if ((await this.moveOrder(ctx, orderId, 'fulfilling', note)) === 'ended') {
      // Cancelled while its shipment was being created: stop the shipment again.
      const stopped = await this.stopShipment(ctx, orderId, number);
      return {
        orderId,
        steps: [...steps, stopped.step],
        shipment,
        ...(stopped.stopped ? { status: 'stopped' } : {}),
      };
    }
    steps.push(step('order_fulfilling', 'The order is being fulfilled'));
    return { orderId, steps, status: 'fulfilling', shipment };
  }

  /** A shipment in transit ships the order; a delivered one delivers it, catching up any step it missed. */
  async trackShipment(ctx: RequestContext, event: EventEnvelope): Promise<Outcome> {
    const data = event.data as ShipmentEventData;
    const shipment = { id: data.shipmentId, trackingNumber: data.trackingNumber };
    const target: FulfilmentMove | undefined =
      event.type === 'ShipmentInTransit'
        ? 'shipped'
        : event.type === 'ShipmentDelivered'
          ? 'delivered'
          : undefined;
    if (!target) return { orderId: data.orderId, steps: [], shipment };
    const note =
      target === 'shipped'
        ? `In transit with ${data.carrier}, tracking number ${data.trackingNumber}`
        : `Delivered by ${data.carrier}, tracking number ${data.trackingNumber}`;
    if ((await this.moveOrder(ctx, data.orderId, target, note)) === 'ended') {
      return {
        orderId: data.orderId,
        steps: [step(`order_not_${target}`, `The order ended before it was ${target}`)],
        shipment,
      };
    }
    return { orderId: data.orderId, steps: [step(`order_${target}`, note)], status: target, shipment };
  }

  /** A cancelled order: stop its shipment if the parcel has not left; one in transit could not be stopped. */
  async stopCancelledOrder(ctx: RequestContext, event: EventEnvelope): Promise<Outcome> {
    const { orderId, number } = event.data as OrderEventData;
    const stopped = await this.stopShipment(ctx, orderId, number);
    return { orderId, steps: [stopped.step], ...(stopped.stopped ? { status: 'stopped' as const } : {}) };
  }

  /**
   * Writes what an event's calls came to, in the event's transaction: the fulfilment (created if
   * new, locked, moved forward or stopped) and each step.
   */
  async record(tx: RequestContext, outcome: Outcome): Promise<void> {
    const { orderId } = outcome;
    const job = await this.repo.lockOrStart(tx, orderId);
    if (outcome.shipment && job.shipment_id === null)
      await this.repo.setShipment(tx, orderId, outcome.shipment);
    if (outcome.status === 'stopped') await this.repo.stop(tx, orderId);
    else if (outcome.status) await this.repo.advance(tx, orderId, outcome.status);
    for (const taken of outcome.steps)
      await this.repo.addStep(tx, orderId, taken.step, taken.detail, taken.at);
  }

  private async stopShipment(
    ctx: RequestContext,
    orderId: string,
    number: string,
  ): Promise<{ stopped: boolean; step: StepTaken }> {
    let shipment: Shipment;
    try {
      shipment = await this.runtime.clients.get('shipping').cancelShipment(ctx, orderId);
    } catch (err) {
      if (err instanceof NotFound && hasCode(err, 'shipment_not_found')) {
        return {
          stopped: true,
          step: step('stopped', `Order ${number} was cancelled before it had a shipment`),
        };
      }
      if (err instanceof InvalidState && hasCode(err, 'shipment_in_transit')) {
        return {
          stopped: false,
          step: step(
            'could_not_stop',
            `Order ${number} was cancelled, but its shipment is already ${String(err.details.shipmentStatus)}`,
          ),
        };
      }
      throw err;
    }
    return {
      stopped: true,
      step: step(
        'shipment_cancelled',
        `Order ${number} was cancelled; shipment ${shipment.trackingNumber} stopped`,
      ),
    };
  }

  /** The order's shipment, created by the first call for the order and answered by every later one. */
  private createShipment(ctx: RequestContext, order: Order): Promise<Shipment> {
    return this.runtime.clients.get('shipping').createShipment(ctx, {
      orderId: order.id,
      customerId: order.customerId,
      methodCode: order.shippingMethod.code,
      address: order.shippingAddress,
      items: order.lines.map((line) => ({ sku: line.sku, name: line.name, quantity: line.quantity })),
    });
  }

  /**
   * Moves the order to `target` through every fulfilment status before it that it has not reached
   * (an order still paid goes to fulfilling first). One already at or past a status counts as moved
   * (orders answers invalid_transition); 'ended' when the order was cancelled or refunded instead.
   */
  private async moveOrder(
    ctx: RequestContext,
    orderId: string,
    target: FulfilmentMove,
    note: string,
  ): Promise<'moved' | 'ended'> {
    const orders = this.runtime.clients.get('orders');
    let order = await orders.getOrder(ctx, orderId);
    for (const status of MOVES.slice(0, MOVES.indexOf(target) + 1)) {
      if (ENDED.includes(order.status)) return 'ended';
      if ((REACHED[order.status] ?? -1) >= REACHED[status]!) continue;
      try {
        order = await orders.markFulfilment(ctx, orderId, { status, note });
      } catch (err) {
        if (!hasCode(err, 'invalid_transition')) throw err;
        // Someone else moved it meanwhile: read where it is now and go on from there.
        order = await orders.getOrder(ctx, orderId);
        if (!ENDED.includes(order.status) && (REACHED[order.status] ?? -1) < REACHED[status]!) throw err;
      }
    }
    return ENDED.includes(order.status) ? 'ended' : 'moved';
  }
}
