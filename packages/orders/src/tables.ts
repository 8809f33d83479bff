import type { Generated, Selectable } from 'kysely';

/** Where an order is in its life (see services/order-states.ts for the moves between them). */
export type OrderStatus =
  'pending' | 'paid' | 'fulfilling' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';

/**
 * The steps of a checkout, in order. A checkout records its milestones (started, order_created,
 * payment_captured, cart_completed) in the transactions that reach them; the steps in between need
 * no record of their own, as recovery asks each service by the checkout's reference what was done.
 */
export const CHECKOUT_STEPS = [
  'started',
  'discount_redeemed',
  'stock_reserved',
  'payment_authorized',
  'order_created',
  'payment_captured',
  'stock_committed',
  'cart_completed',
] as const;
export type CheckoutStep = (typeof CHECKOUT_STEPS)[number];

/** A checkout in progress or done: its durable progress, so that a crash half-way leaves nothing stuck. */
export interface CheckoutTable {
  /** Also the reference of its discount redemption, stock reservation and payment intent. */
  id: string;
  cart_id: string;
  customer_id: string | null;
  email: string;
  /** running: under way (or its process died); completed: paid order; failed: every step undone. */
  status: 'running' | 'completed' | 'failed';
  step: CheckoutStep;
  discount_code: string | null;
  currency: string;
  total: number;
  order_id: string | null;
  payment_intent_id: string | null;
  /** The problem code that ended a failed checkout. */
  failure_code: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OrderTable {
  id: string;
  /** What the customer quotes: a short number, unique in the store. */
  number: string;
  checkout_id: string;
  cart_id: string;
  customer_id: string | null;
  email: string;
  status: OrderStatus;
  currency: string;
  prices_include_tax: boolean;
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  refunded: Generated<number>;
  discount_code: string | null;
  shipping_address: unknown;
  shipping_method: unknown;
  payment_intent_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  /** sha256 (hex) of the key in a guest's order link. */
  access_key_hash: string | null;
  /** A cancellation whose refund or restock has not gone through yet; the recovery job retries it. */
  settlement_pending: Generated<boolean>;
  placed_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OrderLineTable {
  order_id: string;
  position: number;
  product_id: string;
  variant_id: string;
  sku: string;
  name: string;
  quantity: number;
  unit_price: number;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

/** The order's timeline: every move between statuses, when and by whom. */
export interface OrderTransitionTable {
  id: string;
  order_id: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus;
  actor_kind: string;
  actor_id: string | null;
  note: string | null;
  at: Generated<Date>;
}

export interface OrdersTables {
  checkouts: CheckoutTable;
  orders: OrderTable;
  order_lines: OrderLineTable;
  order_transitions: OrderTransitionTable;
}

export type CheckoutRow = Selectable<CheckoutTable>;
export type OrderRow = Selectable<OrderTable>;
export type OrderLineRow = Selectable<OrderLineTable>;
export type OrderTransitionRow = Selectable<OrderTransitionTable>;
