import { defineService, type ServiceDefinition } from '@shopstack/kernel';
import { createCartApi, inProcessCartClient, type CartApi, type CartServiceOptions } from './api.js';
import type { CartClient } from './client.js';
import { HttpCartClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { cartRoutes } from './routes/index.js';
import { seedDemoCart } from './seed.js';
import type { CartTables } from './tables.js';
import type {} from '@shopstack/shipping';

export type { CartApi, CartServiceOptions } from './api.js';
export type { CartClient } from './client.js';
export { HttpCartClient } from './http-client.js';
export type { Redemption, RedeemDiscountInput } from './schemas/admin.js';
export type { Cart, Parcel } from './schemas/cart.js';
export type { ShippingClient, ShippingRate } from './shipping-client.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    cart: CartClient;
  }
}

/** The cart service with its options (a cart's idle time before it expires, say). */
export function createCartService(
  options: CartServiceOptions = {},
): ServiceDefinition<CartApi, CartClient, CartTables> {
  return defineService<CartApi, CartClient, CartTables>({
    name: 'cart',
    description: 'Shopping carts, tax, discount codes and the shipping choice of a cart',
    dependsOn: ['catalogue', 'shipping'],
    migrations,
    create: (runtime) => createCartApi(runtime, options),
    routes: cartRoutes,
    seed: seedDemoCart,
    inProcessClient: inProcessCartClient,
    httpClient: (httpOptions) => new HttpCartClient(httpOptions),
  });
}

/** Guest and customer carts priced from the catalogue, tax, discount codes and shipping. */
export const cartService = createCartService();
