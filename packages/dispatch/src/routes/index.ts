import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { DispatchApi } from '../api.js';
import type { DispatchTables } from '../tables.js';
import { fulfilmentRoutes } from './fulfilments.js';

export interface DispatchRouteOptions {
  runtime: ServiceRuntime<DispatchTables>;
  api: DispatchApi;
}

/** Every dispatch route, mounted by the kernel at /api/dispatch. */
export const dispatchRoutes: FastifyPluginAsync<DispatchRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: DispatchRouteOptions = { runtime, api };
  await app.register(fulfilmentRoutes, options);
};
