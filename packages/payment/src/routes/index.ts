import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { PaymentApi } from '../api.js';
import type { PaymentTables } from '../tables.js';
import { intentRoutes } from './intents.js';
import { tokenRoutes } from './tokens.js';
import { webhookRoutes } from './webhooks.js';

export interface PaymentRouteOptions {
  runtime: ServiceRuntime<PaymentTables>;
  api: PaymentApi;
}

/** Every payment route, mounted by the kernel at /api/payment. */
export const paymentRoutes: FastifyPluginAsync<PaymentRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: PaymentRouteOptions = { runtime, api };
  await app.register(tokenRoutes, options);
  await app.register(intentRoutes, options);
  await app.register(webhookRoutes, options);
};
