import { defineService } from '@shopstack/kernel';
import type {} from '@shopstack/orders';
import type {} from '@shopstack/shipping';
import { createDispatchApi, inProcessDispatchClient, type DispatchApi } from './api.js';
import type { DispatchClient } from './client.js';
import { dispatchConsumers } from './consumers/index.js';
import { HttpDispatchClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { dispatchRoutes } from './routes/index.js';
import type { DispatchTables } from './tables.js';

export type { DispatchApi } from './api.js';
export type { DispatchClient } from './client.js';
export { HttpDispatchClient } from './http-client.js';
export { dispatchConsumers } from './consumers/index.js';
export type { Fulfilment, FulfilmentList, FulfilmentStep, FulfilmentSummary } from './schemas/fulfilments.js';
export type { FulfilmentStatus } from './tables.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    dispatch: DispatchClient;
  }
}

/** Fulfilment of paid orders: shipments created, orders moved along as the carrier reports, stopped on cancel. */
export const dispatchService = defineService<DispatchApi, DispatchClient, DispatchTables>({
  name: 'dispatch',
  description: 'Fulfils paid orders: creates their shipments and moves them along as the carrier reports',
  dependsOn: ['orders', 'shipping'],
  migrations,
  create: createDispatchApi,
  routes: dispatchRoutes,
  consumers: dispatchConsumers,
  inProcessClient: inProcessDispatchClient,
  httpClient: (options) => new HttpDispatchClient(options),
});
