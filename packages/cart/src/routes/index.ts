import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { CartApi } from '../api.js';
import type { CartTables } from '../tables.js';
import { adminRoutes } from './admin.js';
import { cartRoutesOfShoppers } from './carts.js';
import { completionRoutes } from './completion.js';
import { lineRoutes } from './lines.js';
import { redemptionRoutes } from './redemptions.js';

export interface CartRouteOptions {
  runtime: ServiceRuntime<CartTables>;
  api: CartApi;
}

/** Every cart route, mounted by the kernel at /api/cart. */
export const cartRoutes: FastifyPluginAsync<CartRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: CartRouteOptions = { runtime, api };
  await app.register(cartRoutesOfShoppers, options);
  await app.register(lineRoutes, options);
  await app.register(adminRoutes, options);
  await app.register(redemptionRoutes, options);
  await app.register(completionRoutes, options);
};
