import type { ServiceRuntime } from '@shopstack/kernel';
import type { OrdersClient } from './client.js';
import { CheckoutService, type CheckoutOptions } from './services/checkout.js';
import { OrderShipments } from './services/order-shipments.js';
import { OrderStatsService } from './services/order-stats.js';
import { OrderService } from './services/orders.js';
import { RecoveryJob } from './services/recovery.js';
import type { OrdersTables } from './tables.js';

/** Options of the orders service, given where it is defined (createOrdersService). */
export type OrdersServiceOptions = CheckoutOptions;

/** The orders service's domain API in one process. */
export interface OrdersApi {
  checkout: CheckoutService;
  orders: OrderService;
  /** Orders and revenue per day, for the staff dashboard. */
  stats: OrderStatsService;
  /** Adds an order's parcels to the order as its owner reads it. */
  shipments: OrderShipments;
  recovery: RecoveryJob;
}

export function createOrdersApi(
  runtime: ServiceRuntime<OrdersTables>,
  options: OrdersServiceOptions = {},
): OrdersApi {
  const orders = new OrderService(runtime);
  const checkout = new CheckoutService(runtime, orders, options);
  return {
    checkout,
    orders,
    stats: new OrderStatsService(runtime, orders.repo),
    shipments: new OrderShipments(runtime),
    recovery: new RecoveryJob(runtime, checkout, orders),
  };
}

export function inProcessOrdersClient(api: OrdersApi): OrdersClient {
  return {
    getOrder: async (ctx, orderId) => api.shipments.attach(ctx, await api.orders.getForStaff(ctx, orderId)),
    markFulfilment: (ctx, orderId, input) => api.orders.fulfil(ctx, orderId, input),
    customerBought: (ctx, customerId, productId) => api.orders.customerBought(ctx, customerId, productId),
  };
}
