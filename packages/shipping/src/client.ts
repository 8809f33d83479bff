import type { RequestContext } from '@shopstack/kernel';
import type { CreateShipmentInput, Shipment } from './schemas/shipments.js';

/**
 * A method that reaches a destination, with the price of a parcel. Quotes over HTTP also carry
 * `estimatedDays` when the method has a delivery estimate (see ShippingQuote).
 */
export interface ShippingRate {
  methodId: string;
  code: string;
  name: string;
  price: { amount: number; currency: string };
  free: boolean;
}

/**
 * What other services (the cart, checkout, dispatch, orders) may ask of shipping. The in-process
 * API and the HTTP client both implement it, so a caller never knows which topology it runs in.
 */
export interface ShippingClient {
  /** Methods available for a destination and parcel, priced; [] when the store does not ship there. */
  rates(
    ctx: RequestContext,
    parcel: { country: string; weightGrams: number; subtotal: { amount: number; currency: string } },
  ): Promise<ShippingRate[]>;
  /** The order's shipment, created by the first call; every later call answers that one (staff, dispatch). */
  createShipment(ctx: RequestContext, input: CreateShipmentInput): Promise<Shipment>;
  /**
   * Cancels the order's shipment before it is in transit; one already cancelled is answered as it
   * is. InvalidState shipment_in_transit once it left, NotFound shipment_not_found without one.
   */
  cancelShipment(ctx: RequestContext, orderId: string): Promise<Shipment>;
  /** The order's shipments with their tracking events; [] without one (staff, dispatch, orders, notifications). */
  shipmentsForOrder(ctx: RequestContext, orderId: string): Promise<Shipment[]>;
}
