import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * A committed reservation can be restocked: a cancelled order's units go back on the shelf, and
 * the reservation says so ('restocked'), so that restocking twice adds nothing. Only widens the
 * statuses a reservation may have: the previous version never writes the new one.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const reservations = sql.table(`${schema}.reservations`);
    await sql`alter table ${reservations} drop constraint reservations_status_check`.execute(db);
    await sql`
      alter table ${reservations} add constraint reservations_status_check
      check (status in ('reserved', 'released', 'committed', 'restocked'))`.execute(db);
  },
};
