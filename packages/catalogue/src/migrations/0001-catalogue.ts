import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Products, variants (with stock), categories and stock reservations.
 * Stock lives on the variant row: `available` is derived, and CHECK constraints make negative
 * stock impossible whatever the code does.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('categories')} (
        id text primary key,
        parent_id text references ${t('categories')} (id),
        slug text not null unique,
        name text not null,
        description text not null default '',
        path text not null,
        position integer not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index categories_path_idx on ${t('categories')} (path text_pattern_ops)`.execute(db);
    await sql`create index categories_parent_idx on ${t('categories')} (parent_id)`.execute(db);

    await sql`
      create table ${t('products')} (
        id text primary key,
        slug text not null unique,
        name text not null,
        description text not null default '',
        status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
        category_id text references ${t('categories')} (id),
        options jsonb not null default '[]',
        images jsonb not null default '[]',
        currency text not null,
        min_price integer,
        max_price integer,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        search_vector tsvector generated always as (
          setweight(to_tsvector('english'::regconfig, name), 'A') ||
          setweight(to_tsvector('english'::regconfig, description), 'C')
        ) stored
      )`.execute(db);
    await sql`create index products_search_idx on ${t('products')} using gin (search_vector)`.execute(db);
    await sql`create index products_name_trgm_idx on ${t('products')} using gin (name gin_trgm_ops)`.execute(
      db,
    );
    await sql`create index products_category_idx on ${t('products')} (category_id)`.execute(db);
    await sql`create index products_price_idx on ${t('products')} (status, min_price, id)`.execute(db);
    await sql`create index products_newest_idx on ${t('products')} (status, created_at desc, id)`.execute(db);
    await sql`create index products_name_idx on ${t('products')} (status, name, id)`.execute(db);

    await sql`
      create table ${t('variants')} (
        id text primary key,
        product_id text not null references ${t('products')} (id) on delete cascade,
        sku text not null unique,
        title text not null default '',
        price integer not null check (price >= 0),
        compare_at_price integer check (compare_at_price >= 0),
        currency text not null,
        weight_grams integer check (weight_grams >= 0),
        attributes jsonb not null default '{}',
        position integer not null default 0,
        on_hand integer not null default 0 check (on_hand >= 0),
        reserved integer not null default 0 check (reserved >= 0),
        available integer generated always as (on_hand - reserved) stored,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint variants_stock_not_oversold check (reserved <= on_hand)
      )`.execute(db);
    await sql`create index variants_product_idx on ${t('variants')} (product_id, position)`.execute(db);
    await sql`create index variants_attributes_idx on ${t('variants')} using gin (attributes jsonb_path_ops)`.execute(
      db,
    );

    await sql`
      create table ${t('reservations')} (
        order_ref text primary key,
        status text not null check (status in ('reserved', 'released', 'committed')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table ${t('reservation_lines')} (
        order_ref text not null references ${t('reservations')} (order_ref) on delete cascade,
        sku text not null,
        variant_id text not null references ${t('variants')} (id),
        quantity integer not null check (quantity > 0),
        primary key (order_ref, sku)
      )`.execute(db);
  },
};
