import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Carts and their lines, tax rates and pricing settings, discount codes and their redemptions.
 * CHECK constraints hold the counting rules whatever the code does: a discount is never used more
 * than its limit nor below zero, and a customer has at most one active cart.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('discounts')} (
        id text primary key,
        code text not null,
        kind text not null check (kind in ('percentage', 'fixed')),
        value integer not null check (value > 0),
        minimum_subtotal integer not null default 0 check (minimum_subtotal >= 0),
        starts_at timestamptz,
        ends_at timestamptz,
        usage_limit integer check (usage_limit >= 0),
        per_customer_limit integer check (per_customer_limit > 0),
        used integer not null default 0 check (used >= 0),
        active boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint discounts_within_limit check (usage_limit is null or used <= usage_limit),
        constraint discounts_percentage_range check (kind <> 'percentage' or value <= 10000)
      )`.execute(db);
    // Codes are matched without regard to case: SUMMER10 and summer10 are one code.
    await sql`create unique index discounts_code_idx on ${t('discounts')} (upper(code))`.execute(db);

    await sql`
      create table ${t('carts')} (
        id text primary key,
        token_hash text,
        customer_id text,
        status text not null default 'active' check (status in ('active', 'merged', 'expired')),
        currency text not null,
        country text,
        shipping_method text,
        discount_id text references ${t('discounts')} (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint carts_have_an_owner check (token_hash is not null or customer_id is not null)
      )`.execute(db);
    await sql`
      create unique index carts_one_active_per_customer on ${t('carts')} (customer_id)
      where status = 'active' and customer_id is not null`.execute(db);

    await sql`
      create table ${t('cart_lines')} (
        id text primary key,
        cart_id text not null references ${t('carts')} (id) on delete cascade,
        product_id text not null,
        variant_id text not null,
        sku text not null,
        quantity integer not null check (quantity > 0),
        created_at timestamptz not null default now(),
        unique (cart_id, variant_id)
      )`.execute(db);

    await sql`
      create table ${t('tax_rates')} (
        country text not null,
        tax_class text not null,
        rate_basis_points integer not null check (rate_basis_points between 0 and 10000),
        primary key (country, tax_class)
      )`.execute(db);
    await sql`
      create table ${t('pricing_settings')} (
        id integer primary key check (id = 1),
        prices_include_tax boolean not null,
        default_country text,
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`insert into ${t('pricing_settings')} (id, prices_include_tax) values (1, false)`.execute(db);

    await sql`
      create table ${t('discount_redemptions')} (
        order_ref text primary key,
        discount_id text not null references ${t('discounts')} (id),
        customer_id text,
        status text not null check (status in ('redeemed', 'released')),
        redeemed_at timestamptz not null default now(),
        released_at timestamptz
      )`.execute(db);
    await sql`
      create index discount_redemptions_customer_idx on ${t('discount_redemptions')} (discount_id, customer_id)
      where status = 'redeemed'`.execute(db);
  },
};
