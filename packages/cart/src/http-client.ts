import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { CartClient } from './client.js';
import type { RedeemDiscountInput, Redemption } from './schemas/admin.js';
import type { Cart, Parcel } from './schemas/cart.js';

const PREFIX = '/api/cart';

/** A guest's cart token travels as the X-Cart-Token header, as from the shopper. */
function tokenHeader(cartToken: string | undefined): { headers?: Record<string, string> } {
  return cartToken === undefined ? {} : { headers: { 'x-cart-token': cartToken } };
}

/**
 * The cart over HTTP, for processes that do not host it; same interface and errors as in process.
 * A guest's cart token travels as X-Cart-Token, as from a shopper.
 */
export class HttpCartClient implements CartClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'cart', ...options });
  }

  private lookup<T>(ctx: RequestContext, path: string, cartToken?: string) {
    return this.client.call<T>(ctx, { method: 'GET', path, ...tokenHeader(cartToken) });
  }

  getCart(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Cart> {
    return this.lookup<Cart>(ctx, `${PREFIX}/${encodeURIComponent(cartId)}`, cartToken);
  }

  parcelOf(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Parcel> {
    return this.lookup<Parcel>(ctx, `${PREFIX}/${encodeURIComponent(cartId)}/parcel`, cartToken);
  }

  /** Choosing the same destination and method again changes nothing, so it is retried. */
  selectShipping(
    ctx: RequestContext,
    cartId: string,
    input: { country: string; methodCode: string },
    cartToken?: string,
  ): Promise<Cart> {
    return this.client.call<Cart>(ctx, {
      method: 'PUT',
      path: `${PREFIX}/${encodeURIComponent(cartId)}/shipping`,
      body: input,
      idempotent: true,
      ...tokenHeader(cartToken),
    });
  }

  /** Completing is keyed by the order reference: sending it again returns the cart, so it is retried. */
  completeCart(
    ctx: RequestContext,
    cartId: string,
    { cartToken, ...input }: { orderRef: string; cartToken?: string },
  ): Promise<Cart> {
    return this.client.call<Cart>(ctx, {
      method: 'POST',
      path: `${PREFIX}/${encodeURIComponent(cartId)}/complete`,
      body: input,
      idempotent: true,
      ...tokenHeader(cartToken),
    });
  }

  /** A redemption is keyed by its order reference: sending it again returns it, so it is retried. */
  redeemDiscount(ctx: RequestContext, input: RedeemDiscountInput): Promise<Redemption> {
    return this.client.call<Redemption>(ctx, {
      method: 'POST',
      path: `${PREFIX}/discount-redemptions`,
      body: input,
      idempotent: true,
    });
  }

  releaseDiscount(ctx: RequestContext, orderRef: string): Promise<Redemption> {
    return this.client.call<Redemption>(ctx, {
      method: 'POST',
      path: `${PREFIX}/discount-redemptions/${encodeURIComponent(orderRef)}/release`,
      idempotent: true,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
