import type { RequestContext, ServiceName, ServiceRuntime } from '@shopstack/kernel';

/**
 * What a quote needs of the cart service: the parcel a cart makes. Declared here, by shape, until
 * '@shopstack/cart' declares `ServiceClients.cart`; its client is then used as it is.
 */
export interface CartParcel {
  cartId: string;
  /** The currency of the amounts, in minor units. */
  currency: string;
  subtotal: number;
  discountedSubtotal: number;
  weightGrams: number;
  itemCount: number;
}

export interface CartParcelSource {
  /**
   * The parcel of the caller's own cart (a customer's, or a guest's by cartToken); NotFound for a
   * cart that does not exist or is someone else's.
   */
  parcelOf(ctx: RequestContext, cartId: string, cartToken?: string): Promise<CartParcel>;
}

// 'cart' is not a declared ServiceName until '@shopstack/cart' declares its client.
export const CART_SERVICE = 'cart' as unknown as ServiceName;

/** The cart's client as this service's registry gives it (in-process or over HTTP). */
export function cartParcelSource(runtime: Pick<ServiceRuntime, 'clients'>): CartParcelSource {
  // The registry types clients by ServiceClients, which has no cart entry yet: the shape above stands in.
  return runtime.clients.get(CART_SERVICE) as unknown as CartParcelSource;
}
