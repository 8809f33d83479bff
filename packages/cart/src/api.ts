import type { ServiceRuntime } from '@shopstack/kernel';
import type { CartClient } from './client.js';
import { CartPricer } from './services/cart-view.js';
import { CartService } from './services/carts.js';
import { DiscountService } from './services/discounts.js';
import { TaxSettingsService } from './services/tax-settings.js';
import type { CartTables } from './tables.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Options of the cart service, given where it is defined (createCartService). */
export interface CartServiceOptions {
  /** How long a cart lives without a change; config cart.idleDays (30 days by default) otherwise. */
  idleTimeMs?: number;
}

/** The cart's domain API in one process. */
export interface CartApi {
  carts: CartService;
  discounts: DiscountService;
  taxes: TaxSettingsService;
}

export function createCartApi(
  runtime: ServiceRuntime<CartTables>,
  options: CartServiceOptions = {},
): CartApi {
  const taxes = new TaxSettingsService(runtime);
  const discounts = new DiscountService(runtime);
  const pricer = new CartPricer(
    runtime,
    taxes,
    discounts.repo,
    options.idleTimeMs ?? runtime.config.cart.idleDays * DAY_MS,
  );
  return { carts: new CartService(runtime, pricer, discounts.repo), discounts, taxes };
}

export function inProcessCartClient(api: CartApi): CartClient {
  return {
    getCart: (ctx, cartId, cartToken) => api.carts.get(ctx, cartId, cartToken),
    parcelOf: (ctx, cartId, cartToken) => api.carts.parcel(ctx, cartId, cartToken),
    selectShipping: (ctx, cartId, input, cartToken) =>
      api.carts.selectShipping(ctx, cartId, cartToken, input),
    completeCart: (ctx, cartId, { cartToken, ...input }) => api.carts.complete(ctx, cartId, cartToken, input),
    redeemDiscount: async (ctx, input) => (await api.discounts.redeem(ctx, input)).redemption,
    releaseDiscount: (ctx, orderRef) => api.discounts.release(ctx, orderRef),
  };
}
