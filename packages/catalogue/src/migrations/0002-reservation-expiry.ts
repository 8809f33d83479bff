import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Reservations that end by themselves: `expires_at` is when a reservation nobody committed or
 * released gives its units back. Null never expires, which is what every reservation made before
 * this migration (or by a process still running the previous version) gets, so both versions can
 * run side by side. The partial index holds only reservations still held: what the sweep looks for.
 * Adding a nullable column rewrites nothing; building the index takes one pass over the table, during
 * which new reservations wait (migrations run in a transaction, where CONCURRENTLY is not allowed).
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const reservations = sql.table(`${schema}.reservations`);
    await sql`alter table ${reservations} add column expires_at timestamptz`.execute(db);
    await sql`
      create index reservations_expiry_idx on ${reservations} (expires_at)
      where status = 'reserved'`.execute(db);
  },
};
