import type { RequestContext } from '@shopstack/kernel';

/*
 * The shipping service's client as the cart uses it. The shipping package declares it
 * (ServiceClients.shipping); until that package lands, the cart declares the same interface here.
 * When it lands: delete this file's declarations and import `type ShippingClient` from
 * '@shopstack/shipping'.
 */

export interface ShippingRate {
  methodId: string;
  code: string;
  name: string;
  price: { amount: number; currency: string };
  free: boolean;
}

export interface ShippingClient {
  /** Methods available for a destination and parcel, priced; [] when the store does not ship there. */
  rates(
    ctx: RequestContext,
    parcel: { country: string; weightGrams: number; subtotal: { amount: number; currency: string } },
  ): Promise<ShippingRate[]>;
}

declare module '@shopstack/kernel' {
  interface ServiceClients {
    shipping: ShippingClient;
  }
}
