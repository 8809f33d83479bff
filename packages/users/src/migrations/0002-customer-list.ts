import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * The staff's customer list reads live customers newest first, a page at a time: this partial index
 * holds them in that order. Only an index is added, which the previous version never notices.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    await sql`
      create index users_customers_newest_idx on ${sql.table(`${schema}.users`)} (created_at desc, id desc)
      where role = 'customer' and status = 'active'`.execute(db);
  },
};
