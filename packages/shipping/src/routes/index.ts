import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { ShippingApi } from '../api.js';
import type { ShippingTables } from '../tables.js';
import { methodRoutes } from './methods.js';
import { quoteRoutes } from './quote.js';
import { rateRoutes } from './rates.js';
import { shipmentRoutes } from './shipments.js';
import { zoneRoutes } from './zones.js';

export interface ShippingRouteOptions {
  runtime: ServiceRuntime<ShippingTables>;
  api: ShippingApi;
}

/** Every shipping route, mounted by the kernel at /api/shipping. */
export const shippingRoutes: FastifyPluginAsync<ShippingRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: ShippingRouteOptions = { runtime, api };
  await app.register(zoneRoutes, options);
  await app.register(methodRoutes, options);
  await app.register(rateRoutes, options);
  await app.register(quoteRoutes, options);
  await app.register(shipmentRoutes, options);
};
