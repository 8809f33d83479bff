import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Fulfilments, one per order (the order id is the key, so a redelivered event finds the job it
 * started), and the steps each took.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('fulfilments')} (
        order_id text primary key,
        status text not null check (status in ('started', 'shipment_created', 'fulfilling', 'shipped', 'delivered', 'stopped')),
        shipment_id text,
        tracking_number text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index fulfilments_status_idx on ${t('fulfilments')} (status, updated_at)`.execute(db);
    await sql`
      create table ${t('fulfilment_steps')} (
        id text primary key,
        order_id text not null references ${t('fulfilments')} (order_id) on delete cascade,
        step text not null,
        detail text not null,
        occurred_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index fulfilment_steps_order_idx on ${t('fulfilment_steps')} (order_id, occurred_at)`.execute(
      db,
    );
  },
};
