import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Database, DatabaseKind } from './database.js';

/** One forward-only migration of a service; it receives the schema the service owns. */
export interface ServiceMigration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, context: { schema: string; kind: DatabaseKind }): Promise<void>;
}

export interface MigrationOutcome {
  service: string;
  applied: string[];
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
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(service.migrations)) {
        out[name] = { up: (db) => migration.up(db, { schema, kind: database.kind }) };
      }
      return out;
    },
  };
  const migrator = new Migrator({
    db: database.db,
    provider,
    migrationTableSchema: schema,
    allowUnorderedMigrations: false,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `Migration ${failed ?? '(unknown)'} of service ${service.name} failed: ${String((error as Error).message ?? error)}`,
      {
        cause: error,
      },
    );
  }
  return {
    service: service.name,
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}
