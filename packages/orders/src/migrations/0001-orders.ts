import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Checkouts (their durable progress), orders with their lines and timeline. A cart has at most one
 * running checkout and one order; an order's amounts hold together by CHECK constraints.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('checkouts')} (
        id text primary key,
        cart_id text not null,
        customer_id text,
        email text not null,
        status text not null check (status in ('running', 'completed', 'failed')),
        step text not null,
        discount_code text,
        currency text not null,
        total integer not null check (total >= 0),
        order_id text,
        payment_intent_id text,
        failure_code text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    // Two checkouts of one cart never run at once, and a cart is paid for once.
    await sql`create unique index checkouts_one_running_per_cart on ${t('checkouts')} (cart_id) where status = 'running'`.execute(
      db,
    );
    await sql`create unique index checkouts_one_completed_per_cart on ${t('checkouts')} (cart_id) where status = 'completed'`.execute(
      db,
    );
    await sql`create index checkouts_unfinished_idx on ${t('checkouts')} (updated_at) where status = 'running'`.execute(
      db,
    );

    await sql`create sequence ${t('order_numbers')} start with 100001`.execute(db);
    await sql`
      create table ${t('orders')} (
        id text primary key,
        number text not null unique,
        checkout_id text not null unique,
        cart_id text not null,
        customer_id text,
        email text not null,
        status text not null check (status in ('pending', 'paid', 'fulfilling', 'shipped', 'delivered', 'cancelled', 'refunded')),
        currency text not null,
        prices_include_tax boolean not null,
        subtotal integer not null check (subtotal >= 0),
        discount integer not null check (discount >= 0),
        shipping integer not null check (shipping >= 0),
        tax integer not null check (tax >= 0),
        total integer not null check (total >= 0),
        refunded integer not null default 0 check (refunded >= 0 and refunded <= total),
        discount_code text,
        shipping_address jsonb not null,
        shipping_method jsonb not null,
        payment_intent_id text,
        card_brand text,
        card_last4 text,
        access_key_hash text,
        settlement_pending boolean not null default false,
        placed_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index orders_customer_idx on ${t('orders')} (customer_id, placed_at desc, id desc)`.execute(
      db,
    );
    await sql`create index orders_placed_idx on ${t('orders')} (placed_at desc, id desc)`.execute(db);
    await sql`create index orders_status_idx on ${t('orders')} (status, placed_at desc)`.execute(db);
    await sql`create index orders_email_idx on ${t('orders')} (lower(email))`.execute(db);
    await sql`create index orders_settlement_idx on ${t('orders')} (updated_at) where settlement_pending`.execute(
      db,
    );

    await sql`
      create table ${t('order_lines')} (
        order_id text not null references ${t('orders')} (id) on delete cascade,
        position integer not null,
        product_id text not null,
        variant_id text not null,
        sku text not null,
        name text not null,
        quantity integer not null check (quantity > 0),
        unit_price integer not null check (unit_price >= 0),
        subtotal integer not null check (subtotal >= 0),
        discount integer not null check (discount >= 0),
        tax integer not null check (tax >= 0),
        total integer not null check (total >= 0),
        primary key (order_id, position)
      )`.execute(db);
    await sql`create index order_lines_product_idx on ${t('order_lines')} (product_id)`.execute(db);

    await sql`
      create table ${t('order_transitions')} (
        id text primary key,
        order_id text not null references ${t('orders')} (id) on delete cascade,
        from_status text,
        to_status text not null,
        actor_kind text not null,
        actor_id text,
        note text,
        at timestamptz not null default now()
      )`.execute(db);
    await sql`create index order_transitions_order_idx on ${t('order_transitions')} (order_id, id)`.execute(
      db,
    );
  },
};
