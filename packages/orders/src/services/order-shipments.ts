import { UpstreamUnavailable, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import type { Order, OrderShipment } from '../schemas/order.js';
import type { OrdersTables } from '../tables.js';

/**
 * An order's parcels, from the shipping service, for the order as its owner reads it. Shipping that
 * cannot answer leaves them out rather than failing the read of the order.
 */
export class OrderShipments {
  constructor(private readonly runtime: ServiceRuntime<OrdersTables>) {}

  /** The order with its shipments (carrier, tracking number, status, tracking events). */
  async attach(ctx: RequestContext, order: Order): Promise<Order> {
    let shipments: OrderShipment[];
    try {
      const found = await this.runtime.clients.get('shipping').shipmentsForOrder(ctx, order.id);
      shipments = found.map((s) => ({
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        status: s.status,
        trackingEvents: s.trackingEvents.map((e) => ({
          status: e.status,
          description: e.description,
          occurredAt: e.occurredAt,
        })),
      }));
    } catch (err) {
      if (!(err instanceof UpstreamUnavailable)) throw err;
      ctx.log.warn({ err, orderId: order.id }, 'order read without its shipments: shipping did not answer');
      return order;
    }
    return { ...order, shipments };
  }
}
