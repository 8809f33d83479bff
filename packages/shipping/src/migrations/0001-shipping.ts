import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Zones (with their countries), methods per zone and weight tiers per method. The rules that must
 * hold under concurrent writes are constraints, not checks in code: a country is the primary key of
 * zone_countries (one zone at most), a method code is unique in its zone, and a method has one tier
 * per upper bound and one unbounded tier at most.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('zones')} (
        id text primary key,
        name text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table ${t('zone_countries')} (
        country text primary key check (country ~ '^[A-Z]{2}$'),
        zone_id text not null references ${t('zones')} (id) on delete cascade
      )`.execute(db);
    await sql`create index zone_countries_zone_idx on ${t('zone_countries')} (zone_id)`.execute(db);

    await sql`
      create table ${t('methods')} (
        id text primary key,
        zone_id text not null references ${t('zones')} (id) on delete cascade,
        code text not null,
        name text not null,
        min_days integer check (min_days >= 0),
        max_days integer check (max_days >= 0),
        free_threshold integer check (free_threshold >= 0),
        currency text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint methods_code_key unique (zone_id, code),
        constraint methods_estimate_order check (min_days <= max_days)
      )`.execute(db);

    await sql`
      create table ${t('rates')} (
        id text primary key,
        method_id text not null references ${t('methods')} (id) on delete cascade,
        max_weight_grams integer check (max_weight_grams > 0),
        price integer not null check (price >= 0),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint rates_tier_key unique (method_id, max_weight_grams)
      )`.execute(db);
    // A unique constraint lets NULLs repeat: the one unbounded tier of a method needs its own index.
    await sql`create unique index rates_unbounded_tier_key on ${t('rates')} (method_id) where max_weight_grams is null`.execute(
      db,
    );
  },
};
