import type { RequestContext } from '@shopstack/kernel';
import type { Redemption, RedeemDiscountInput } from './schemas/admin.js';
import type { Cart, Parcel } from './schemas/cart.js';

/**
 * What other services may ask of the cart (shipping prices a cart's parcel; checkout reads the
 * cart and redeems its discount). The in-process API and the HTTP client both implement it.
 */
export interface CartClient {
  /** A cart as its owner sees it (a guest with the cart token, a customer by the call's actor); NotFound otherwise. */
  getCart(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Cart>;
  /** What shipping needs to price a cart, with the same ownership rule as getCart. */
  parcelOf(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Parcel>;
  /**
   * Uses one of a code's uses for an order, atomically: a repeat with the same orderRef returns the
   * same redemption and counts once. For staff and the orders service.
   */
  redeemDiscount(ctx: RequestContext, input: RedeemDiscountInput): Promise<Redemption>;
  /** Gives an order's use back (a failed checkout); releasing twice is harmless. */
  releaseDiscount(ctx: RequestContext, orderRef: string): Promise<Redemption>;
}
