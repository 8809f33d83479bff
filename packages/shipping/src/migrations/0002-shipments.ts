import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Shipments of orders and their tracking events. An order has one shipment at most (order_id is
 * unique), so creating one twice, or twenty times at once, leaves one row. next_step_at is when the
 * carrier moves the shipment on; null once it has nowhere left to go (delivered, cancelled).
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('shipments')} (
        id text primary key,
        order_id text not null,
        customer_id text,
        method_code text not null,
        method_name text not null,
        carrier text not null,
        tracking_number text not null,
        status text not null check (status in ('pending', 'label_created', 'in_transit', 'delivered', 'cancelled')),
        address jsonb not null,
        items jsonb not null,
        next_step_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint shipments_order_key unique (order_id),
        constraint shipments_tracking_number_key unique (tracking_number)
      )`.execute(db);
    // The carrier's work list: only shipments still on their way have a next step.
    await sql`create index shipments_next_step_idx on ${t('shipments')} (next_step_at) where next_step_at is not null`.execute(
      db,
    );
    await sql`create index shipments_status_idx on ${t('shipments')} (status, created_at)`.execute(db);
    await sql`
      create table ${t('tracking_events')} (
        id text primary key,
        shipment_id text not null references ${t('shipments')} (id) on delete cascade,
        status text not null,
        description text not null,
        occurred_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index tracking_events_shipment_idx on ${t('tracking_events')} (shipment_id, occurred_at)`.execute(
      db,
    );
  },
};
