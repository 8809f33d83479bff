import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { UsersApi } from '../api.js';
import type { UsersTables } from '../tables.js';
import { accountRoutes } from './account.js';
import { addressRoutes } from './addresses.js';
import { customerRoutes } from './customers.js';
import { meRoutes } from './me.js';
import { staffRoutes } from './staff.js';

export interface UsersRouteOptions {
  runtime: ServiceRuntime<UsersTables>;
  api: UsersApi;
}

/** Every users route, mounted by the kernel at /api/users. */
export const usersRoutes: FastifyPluginAsync<UsersRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: UsersRouteOptions = { runtime, api };
  await app.register(accountRoutes, options);
  await app.register(meRoutes, options);
  await app.register(addressRoutes, options);
  await app.register(staffRoutes, options);
  await app.register(customerRoutes, options);
};
