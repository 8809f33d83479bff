import type { Order, OrderSummary, ShippingAddress } from '../schemas/order.js';
import type { OrderLineRow, OrderRow, OrderTransitionRow } from '../tables.js';

const iso = (d: Date | string) => new Date(d).toISOString();

const ADDRESS_FIELDS = [
  'recipient',
  'line1',
  'line2',
  'city',
  'postalCode',
  'region',
  'country',
  'phone',
] as const;

/** The stored address with its fields in the schema's order (jsonb keeps its own), as HTTP would answer it. */
function addressOf(stored: unknown): ShippingAddress {
  const source = stored as Record<string, unknown>;
  const address: Record<string, unknown> = {};
  for (const field of ADDRESS_FIELDS) if (source[field] !== undefined) address[field] = source[field];
  return address as ShippingAddress;
}

/** An order as the API shows it, from its rows. */
export function orderView(
  row: OrderRow,
  lines: OrderLineRow[],
  timeline: Array<Omit<OrderTransitionRow, 'at'> & { at: Date | string }>,
): Order {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    customerId: row.customer_id,
    email: row.email,
    currency: row.currency,
    lines: lines.map((l) => ({
      productId: l.product_id,
      variantId: l.variant_id,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      subtotal: l.subtotal,
      discount: l.discount,
      tax: l.tax,
      total: l.total,
    })),
    totals: {
      pricesIncludeTax: row.prices_include_tax,
      subtotal: row.subtotal,
      discount: row.discount,
      shipping: row.shipping,
      tax: row.tax,
      total: row.total,
      refunded: row.refunded,
    },
    discountCode: row.discount_code,
    shippingAddress: addressOf(row.shipping_address),
    shippingMethod: row.shipping_method as Order['shippingMethod'],
    payment: row.payment_intent_id
      ? { intentId: row.payment_intent_id, cardBrand: row.card_brand, cardLast4: row.card_last4 }
      : null,
    settlementPending: row.settlement_pending,
    timeline: timeline.map((t) => ({
      from: t.from_status,
      to: t.to_status,
      at: iso(t.at),
      actor: { kind: t.actor_kind, id: t.actor_id },
      note: t.note,
    })),
    placedAt: iso(row.placed_at),
    updatedAt: iso(row.updated_at),
  };
}

export function orderSummary(
  row: Pick<
    OrderRow,
    'id' | 'number' | 'status' | 'customer_id' | 'email' | 'currency' | 'total' | 'refunded' | 'placed_at'
  > & { item_count: number | null },
): OrderSummary {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    customerId: row.customer_id,
    email: row.email,
    currency: row.currency,
    total: row.total,
    refunded: row.refunded,
    itemCount: Number(row.item_count ?? 0),
    placedAt: iso(row.placed_at),
  };
}
