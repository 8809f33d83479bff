import type { Shipment, ShipmentAddress, ShipmentItem } from '../schemas/shipments.js';
import type { ShipmentRow, TrackingEventRow } from '../tables.js';

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
function addressOf(stored: unknown): ShipmentAddress {
  const source = stored as Record<string, unknown>;
  const address: Record<string, unknown> = {};
  for (const field of ADDRESS_FIELDS) if (source[field] !== undefined) address[field] = source[field];
  return address as ShipmentAddress;
}

/** A shipment as the API shows it, from its row and tracking events (oldest first). */
export function toShipment(row: ShipmentRow, tracking: TrackingEventRow[]): Shipment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    method: { code: row.method_code, name: row.method_name },
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    status: row.status,
    address: addressOf(row.address),
    items: (row.items as ShipmentItem[]).map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity })),
    nextStepAt: row.next_step_at === null ? null : iso(row.next_step_at),
    trackingEvents: tracking.map((t) => ({
      status: t.status,
      description: t.description,
      occurredAt: iso(t.occurred_at),
    })),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
