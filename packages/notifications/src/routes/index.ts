import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { NotificationsApi } from '../api.js';
import type { NotificationsTables } from '../tables.js';
import { messageRoutes } from './messages.js';

export interface NotificationsRouteOptions {
  runtime: ServiceRuntime<NotificationsTables>;
  api: NotificationsApi;
}

/** Every notifications route, mounted by the kernel at /api/notifications. */
export const notificationsRoutes: FastifyPluginAsync<NotificationsRouteOptions> = async (
  app,
  { runtime, api },
) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: NotificationsRouteOptions = { runtime, api };
  await app.register(messageRoutes, options);
};
