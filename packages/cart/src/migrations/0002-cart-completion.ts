import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Carts that were checked out: status `completed`, with the reference of the order they became
 * (unique: one order, one cart). Both constraints are added NOT VALID and validated after, and
 * every row the previous version writes (never completed, no order reference) satisfies them, so
 * it keeps running beside this one; it reads a completed cart as one that is no longer active.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const carts = sql.table(`${schema}.carts`);
    await sql`alter table ${carts} add column order_ref text`.execute(db);
    await sql`alter table ${carts} drop constraint carts_status_check`.execute(db);
    await sql`
      alter table ${carts} add constraint carts_status_check
      check (status in ('active', 'merged', 'expired', 'completed')) not valid`.execute(db);
    await sql`alter table ${carts} validate constraint carts_status_check`.execute(db);
    await sql`
      alter table ${carts} add constraint carts_completed_for_an_order
      check ((status = 'completed') = (order_ref is not null)) not valid`.execute(db);
    await sql`alter table ${carts} validate constraint carts_completed_for_an_order`.execute(db);
    await sql`
      create unique index carts_order_ref_idx on ${carts} (order_ref)
      where order_ref is not null`.execute(db);
  },
};
