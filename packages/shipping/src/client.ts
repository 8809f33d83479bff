import type { RequestContext } from '@shopstack/kernel';

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
 * What other services (the cart, checkout) may ask of shipping. The in-process API and the HTTP
 * client both implement it, so a caller never knows which topology it runs in.
 */
export interface ShippingClient {
  /** Methods available for a destination and parcel, priced; [] when the store does not ship there. */
  rates(
    ctx: RequestContext,
    parcel: { country: string; weightGrams: number; subtotal: { amount: number; currency: string } },
  ): Promise<ShippingRate[]>;
}
