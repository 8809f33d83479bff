import { defineService, type ServiceDefinition } from '@shopstack/kernel';
import { createOrdersApi, inProcessOrdersClient, type OrdersApi, type OrdersServiceOptions } from './api.js';
import type { OrdersClient } from './client.js';
import { HttpOrdersClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { ordersRoutes } from './routes/index.js';
import type { OrdersTables } from './tables.js';
import type {} from '@shopstack/cart';
import type {} from '@shopstack/catalogue';
import type {} from '@shopstack/payment';
import type {} from '@shopstack/shipping';

export type { OrdersApi, OrdersServiceOptions } from './api.js';
export type { OrdersClient } from './client.js';
export { HttpOrdersClient } from './http-client.js';
export { CheckoutAborted } from './services/checkout.js';
export type { RecoveryOutcome } from './services/recovery.js';
export type { CheckoutInput, CheckoutResult } from './schemas/checkout.js';
export type { FulfilmentInput, Order, OrderList, ShippingAddress } from './schemas/order.js';
export { CHECKOUT_STEPS, type CheckoutStep, type OrderStatus } from './tables.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    orders: OrdersClient;
  }
}

/** The orders service with its options (a crash test's fault hook, say). */
export function createOrdersService(
  options: OrdersServiceOptions = {},
): ServiceDefinition<OrdersApi, OrdersClient, OrdersTables> {
  return defineService<OrdersApi, OrdersClient, OrdersTables>({
    name: 'orders',
    description: 'Checkout, orders and their timeline',
    dependsOn: ['cart', 'catalogue', 'payment', 'shipping'],
    migrations,
    create: (runtime) => createOrdersApi(runtime, options),
    routes: ordersRoutes,
    start: async (api) => api.recovery.start(),
    stop: (api) => api.recovery.stop(),
    inProcessClient: inProcessOrdersClient,
    httpClient: (httpOptions) => new HttpOrdersClient(httpOptions),
  });
}

/** Checkout that never oversells nor charges twice, orders with their state machine and timeline. */
export const ordersService = createOrdersService();
