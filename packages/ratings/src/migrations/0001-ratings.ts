import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Reviews, helpful votes and per-product ratings. The rules that must hold under concurrent writes
 * are constraints: one review per customer and product, one vote per customer and review, and
 * counters that never go below zero.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('reviews')} (
        id text primary key,
        product_id text not null,
        customer_id text not null,
        rating smallint not null check (rating between 1 and 5),
        title text not null,
        body text not null,
        status text not null default 'visible' check (status in ('visible', 'hidden')),
        helpful_count integer not null default 0 check (helpful_count >= 0),
        reply_body text,
        reply_by text,
        replied_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint reviews_customer_product_key unique (product_id, customer_id)
      )`.execute(db);
    // The two public orders of a product's visible reviews, and the staff list newest first.
    await sql`create index reviews_product_newest_idx on ${t('reviews')} (product_id, id desc) where status = 'visible'`.execute(
      db,
    );
    await sql`create index reviews_product_helpful_idx on ${t('reviews')} (product_id, helpful_count desc, id desc) where status = 'visible'`.execute(
      db,
    );
    await sql`create index reviews_status_idx on ${t('reviews')} (status, id desc)`.execute(db);

    await sql`
      create table ${t('review_votes')} (
        review_id text not null references ${t('reviews')} (id) on delete cascade,
        customer_id text not null,
        created_at timestamptz not null default now(),
        primary key (review_id, customer_id)
      )`.execute(db);

    await sql`
      create table ${t('product_ratings')} (
        product_id text primary key,
        rating_sum integer not null default 0 check (rating_sum >= 0),
        rating_count integer not null default 0 check (rating_count >= 0),
        stars_1 integer not null default 0 check (stars_1 >= 0),
        stars_2 integer not null default 0 check (stars_2 >= 0),
        stars_3 integer not null default 0 check (stars_3 >= 0),
        stars_4 integer not null default 0 check (stars_4 >= 0),
        stars_5 integer not null default 0 check (stars_5 >= 0),
        seq bigint not null default 0,
        updated_at timestamptz not null default now(),
        constraint product_ratings_count_matches check (
          rating_count = stars_1 + stars_2 + stars_3 + stars_4 + stars_5
          and rating_sum = stars_1 + 2 * stars_2 + 3 * stars_3 + 4 * stars_4 + 5 * stars_5)
      )`.execute(db);
  },
};
