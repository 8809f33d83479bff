import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Database, DatabaseKind } from './database.js';

/** One forward-only migration of a service; it receives the schema the service owns. */
export interface ServiceMigration {
  up(db: Kysely<unknown>, context: { schema: string; kind: DatabaseKind }): Promise<void>;
}

export interface MigrationOutcome {
  service: string;
  applied: string[];
}

/**
 * Tables the kernel keeps in every service's schema, migrated before the service's own and recorded
 * apart (kernel_migration), so their names never interleave with the service's migrations.
 */
const kernelMigrations: Record<string, ServiceMigration> = {
  '0001-outbox': {
    async up(db, { schema }) {
      const outbox = sql.table(`${schema}.outbox`);
      await sql`
        create table ${outbox} (
          id text primary key,
          type text not null,
          version integer not null,
          store_id text not null,
          source text not null,
          occurred_at timestamptz not null,
          request_id text not null,
          traceparent text,
          data jsonb not null,
          published_at timestamptz,
          attempts integer not null default 0
        )`.execute(db);
      // The relay reads unpublished events in id (time) order; published ones drop out of the index.
      await sql`create index outbox_unpublished_idx on ${outbox} (id) where published_at is null`.execute(db);
    },
  },
  '0002-idempotency-keys': {
    async up(db, { schema }) {
      // Answers of requests sent with an Idempotency-Key (see idempotency.ts), kept for replays.
      const keys = sql.table(`${schema}.idempotency_keys`);
      await sql`
        create table ${keys} (
          scope text not null,
          key text not null,
          fingerprint text not null,
          state text not null check (state in ('running', 'done')),
          status integer,
          headers jsonb,
          body text,
          created_at timestamptz not null default now(),
          locked_at timestamptz not null default now(),
          primary key (scope, key)
        )`.execute(db);
      await sql`create index idempotency_keys_created_idx on ${keys} (created_at)`.execute(db);
    },
  },
  '0003-events': {
    async up(db, { schema }) {
      // The relay publishes each aggregate's events in order: the key says which events are one aggregate's.
      const outbox = sql.table(`${schema}.outbox`);
      await sql`alter table ${outbox} add column aggregate text`.execute(db);
      // A relay claims a batch for a while (a lease): another takes it over only if the first died.
      await sql`alter table ${outbox} add column claimed_until timestamptz`.execute(db);
      await sql`create index outbox_unpublished_aggregate_idx on ${outbox} (aggregate, id) where published_at is null`.execute(
        db,
      );
      // Events this service's consumers have handled, written in the transaction of the handler's
      // change: a redelivered event finds its record and changes nothing twice.
      const processed = sql.table(`${schema}.processed_events`);
      await sql`
        create table ${processed} (
          consumer text not null,
          event_id text not null,
          processed_at timestamptz not null default now(),
          primary key (consumer, event_id)
        )`.execute(db);
      await sql`create index processed_events_at_idx on ${processed} (processed_at)`.execute(db);
      // Deliveries to this service's consumers that failed: waiting for a retry, or dead (after the
      // last attempt) until an operator replays or drops them. The in-process bus keeps its retries
      // and dead letters here; RabbitMQ keeps them in queues.
      const failed = sql.table(`${schema}.failed_events`);
      await sql`
        create table ${failed} (
          consumer text not null,
          event_id text not null,
          envelope jsonb not null,
          attempts integer not null,
          status text not null check (status in ('retrying', 'dead')),
          last_error text not null,
          next_attempt_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          primary key (consumer, event_id)
        )`.execute(db);
      await sql`create index failed_events_due_idx on ${failed} (next_attempt_at) where status = 'retrying'`.execute(
        db,
      );
    },
  },
};

async function runMigrations(
  database: Database,
  service: string,
  schema: string,
  migrations: Record<string, ServiceMigration>,
  table: { name: string; lock: string },
): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(migrations)) {
        out[name] = { up: (db) => migration.up(db, { schema, kind: database.kind }) };
      }
      return out;
    },
  };
  const migrator = new Migrator({
    db: database.db,
    provider,
    migrationTableSchema: schema,
    migrationTableName: table.name,
    migrationLockTableName: table.lock,
    allowUnorderedMigrations: false,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `Migration ${failed ?? '(unknown)'} of service ${service} failed: ${String((error as Error).message ?? error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Applies a service's pending migrations in name order, each in a transaction, recorded in
 * <schema>.kysely_migration. Migrations never go down: a later migration repairs an earlier one.
 */
export async function migrateService(
  database: Database,
  service: { name: string; migrations: Record<string, ServiceMigration> },
): Promise<MigrationOutcome> {
  const schema = database.schemaFor(service.name);
  const kernel = await runMigrations(database, service.name, schema, kernelMigrations, {
    name: 'kernel_migration',
    lock: 'kernel_migration_lock',
  });
  const own = await runMigrations(database, service.name, schema, service.migrations, {
    name: 'kysely_migration',
    lock: 'kysely_migration_lock',
  });
  return { service: service.name, applied: [...kernel.map((name) => `kernel/${name}`), ...own] };
}
