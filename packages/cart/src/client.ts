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
   * Chooses the destination and shipping method of an active cart (one shipping offers for its
   * parcel there, InvalidInput otherwise) and answers it priced with them; the same ownership rule
   * as getCart. Checkout calls it for the shopper before pricing the order.
   */
  selectShipping(
    ctx: RequestContext,
    cartId: string,
    input: { country: string; methodCode: string },
    cartToken?: string,
  ): Promise<Cart>;
  /**
   * Marks an active cart completed as the order it became; afterwards it refuses every change
   * (Conflict cart_completed). Completing again with the same orderRef returns it; a cart completed
   * as another order, merged or expired is Conflict cart_not_active. For staff and the orders
   * service; when the call carries a shopper, the cart must be theirs (a guest's by cartToken).
   */
  completeCart(
    ctx: RequestContext,
    cartId: string,
    input: { orderRef: string; cartToken?: string },
  ): Promise<Cart>;
  /**
   * Uses one of a code's uses for an order, atomically: a repeat with the same orderRef returns the
   * same redemption and counts once. For staff and the orders service.
   */
  redeemDiscount(ctx: RequestContext, input: RedeemDiscountInput): Promise<Redemption>;
  /** Gives an order's use back (a failed checkout); releasing twice is harmless. */
  releaseDiscount(ctx: RequestContext, orderRef: string): Promise<Redemption>;
}
