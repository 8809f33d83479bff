import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Products' ratings as the ratings service last announced them (ProductRatingChanged). `seq` is
 * the number of the announcement applied, so one that arrives late (lower number) is dropped. No
 * reference to products: an announcement may name a product this catalogue never had or no longer
 * has, and the previous version, which does not know the table, keeps deleting products.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    await sql`
      create table ${sql.table(`${schema}.product_ratings`)} (
        product_id text primary key,
        average numeric(3, 2) not null check (average between 0 and 5),
        count integer not null check (count >= 0),
        seq bigint not null,
        updated_at timestamptz not null default now()
      )`.execute(db);
  },
};
