import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { CartClient } from './client.js';
import type { RedeemDiscountInput, Redemption } from './schemas/admin.js';
import type { Cart, Parcel } from './schemas/cart.js';

const PREFIX = '/api/cart';

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
    return this.client.call<T>(ctx, {
      method: 'GET',
      path,
      ...(cartToken === undefined ? {} : { headers: { 'x-cart-token': cartToken } }),
    });
  }

  getCart(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Cart> {
    return this.lookup<Cart>(ctx, `${PREFIX}/${encodeURIComponent(cartId)}`, cartToken);
  }

  parcelOf(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Parcel> {
    return this.lookup<Parcel>(ctx, `${PREFIX}/${encodeURIComponent(cartId)}/parcel`, cartToken);
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
