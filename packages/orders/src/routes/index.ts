import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { OrdersApi } from '../api.js';
import type { OrdersTables } from '../tables.js';
import { adminRoutes } from './admin.js';
import { checkoutRoutes } from './checkout.js';
import { customerRoutes } from './orders.js';

export interface OrdersRouteOptions {
  runtime: ServiceRuntime<OrdersTables>;
  api: OrdersApi;
}

/** Every orders route, mounted by the kernel at /api/orders. */
export const ordersRoutes: FastifyPluginAsync<OrdersRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: OrdersRouteOptions = { runtime, api };
  await app.register(checkoutRoutes, options);
  await app.register(customerRoutes, options);
  await app.register(adminRoutes, options);
};
