import { InvalidState } from '@shopstack/kernel';
import type { OrderStatus } from '../tables.js';

/**
 * The order's state machine: which statuses an order may move to from each one. Cancelling takes
 * back what was taken (refund, stock); a refund of the whole amount ends the order as refunded.
 */
export const ORDER_MOVES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'cancelled'],
  paid: ['fulfilling', 'cancelled', 'refunded'],
  fulfilling: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered', 'refunded'],
  delivered: ['refunded'],
  cancelled: [],
  refunded: [],
};

/** The statuses an order may be in to move to `to`. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return (Object.keys(ORDER_MOVES) as OrderStatus[]).filter((from) => ORDER_MOVES[from].includes(to));
}

/** Statuses in which the order's money has been taken. */
export const PAID_STATUSES: readonly OrderStatus[] = ['paid', 'fulfilling', 'shipped', 'delivered'];

export function invalidTransition(orderId: string, from: OrderStatus, to: OrderStatus): InvalidState {
  return new InvalidState(`Order ${orderId} is ${from}; it cannot become ${to}.`, {
    code: 'invalid_transition',
    from,
    to,
    allowed: ORDER_MOVES[from],
  });
}
