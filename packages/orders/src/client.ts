import type { RequestContext } from '@shopstack/kernel';
import type { FulfilmentInput, Order } from './schemas/order.js';

/**
 * What other services may ask of orders (dispatch moves an order along its fulfilment; ratings
 * checks that a reviewer bought the product). The in-process API and the HTTP client both implement it.
 */
export interface OrdersClient {
  /** Any order with its lines and timeline; for staff, dispatch and ratings. NotFound order_not_found. */
  getOrder(ctx: RequestContext, orderId: string): Promise<Order>;
  /** Marks a fulfilment step (fulfilling, shipped, delivered); InvalidState invalid_transition out of order. */
  markFulfilment(ctx: RequestContext, orderId: string, input: FulfilmentInput): Promise<Order>;
  /** Whether the customer has a paid order (not cancelled or refunded) with the product. */
  customerBought(ctx: RequestContext, customerId: string, productId: string): Promise<boolean>;
}
