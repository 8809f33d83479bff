import { existsSync } from 'node:fs';
import path from 'node:path';
import { Conflict, InvalidState, startEmbeddedDatabase } from '@shopstack/kernel';
import pg from 'pg';
import { ControlClient, PlatformNotRunning } from '../control-client.js';
import type { PlatformLayout } from '../layout.js';
import type { StoreRecord } from '../store-record.js';
import type { BackupManifest } from './manifest.js';
import { runTool } from './tool.js';

/** What a dump says about the database beside its bytes. */
export interface DumpFacts {
  database: BackupManifest['database'];
  migrations: BackupManifest['migrations'];
}

/** Dumps an embedded store's database that a running platform holds; resolves with its size. */
export type DumpRunningStore = (store: string, file: string) => Promise<number>;

/** The default: ask the running platform over its control socket (PlatformNotRunning when none runs). */
export function dumpThroughControlSocket(layout: PlatformLayout): DumpRunningStore {
  return async (store, file) => {
    const client = new ControlClient(layout);
    try {
      const answer = await client.post<{ bytes: number }>(`/stores/${store}/dump`, { file });
      return answer.bytes;
    } finally {
      await client.close();
    }
  };
}

type Connection = string | pg.ClientConfig;

/** The server's version and each schema's applied migrations (kysely_migration, kernel_migration). */
async function readFacts(
  connection: Connection,
): Promise<Pick<DumpFacts, 'migrations'> & { version: string }> {
  const client = new pg.Client(
    typeof connection === 'string' ? { connectionString: connection } : connection,
  );
  await client.connect();
  try {
    const version = (await client.query<{ v: string }>(`select current_setting('server_version') as v`))
      .rows[0]!.v;
    const { rows: tables } = await client.query<{ schema: string; table: string }>(
      `select table_schema as schema, table_name as table from information_schema.tables
       where table_name in ('kysely_migration', 'kernel_migration') order by 1, 2`,
    );
    const migrations: Record<string, string[]> = {};
    for (const { schema, table } of tables) {
      const { rows } = await client.query<{ name: string }>(
        `select name from ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)} order by name`,
      );
      const names = rows.map((r) => (table === 'kernel_migration' ? `kernel/${r.name}` : r.name));
      // Kernel migrations first, as migrateService applies them.
      migrations[schema] =
        table === 'kernel_migration'
          ? [...names, ...(migrations[schema] ?? [])]
          : [...(migrations[schema] ?? []), ...names];
    }
    return { version, migrations };
  } finally {
    await client.end();
  }
}

/** pg_dump's custom format: compressed, restored in parallel by pg_restore, taken in one snapshot. */
async function dumpPostgres(url: string, file: string): Promise<DumpFacts> {
  const facts = await readFacts(url);
  await runTool('pg_dump', ['--format=custom', '--no-password', `--file=${file}`, `--dbname=${url}`]);
  return {
    database: { kind: 'postgres', format: 'pg_dump-custom', serverVersion: facts.version },
    migrations: facts.migrations,
  };
}

function embeddedFacts(facts: { version: string; migrations: DumpFacts['migrations'] }): DumpFacts {
  return {
    database: { kind: 'embedded', format: 'pglite-datadir-tar-gzip', serverVersion: facts.version },
    migrations: facts.migrations,
  };
}

/** Opens an embedded database no process holds, reads its facts and dumps it between transactions. */
async function dumpEmbeddedDirectory(dataDir: string, file: string): Promise<DumpFacts> {
  const database = await startEmbeddedDatabase({ dataDir, purpose: 'shopstack backup' });
  try {
    const facts = await readFacts({ ...database.connection });
    await database.dump(file);
    return embeddedFacts(facts);
  } finally {
    await database.close();
  }
}

export interface DumpStoreOptions {
  layout: PlatformLayout;
  record: StoreRecord;
  /** Where the dump goes (an absolute path: a platform's database process writes it). */
  file: string;
  dumpRunning?: DumpRunningStore;
}

/**
 * Writes a consistent dump of a store's database to file. PostgreSQL: pg_dump. Embedded: the
 * running platform's database process dumps it between transactions; when no platform holds the
 * store, this process opens the directory itself (its lock keeps a platform from starting it meanwhile).
 */
export async function dumpStoreDatabase(options: DumpStoreOptions): Promise<DumpFacts> {
  const { layout, record, file } = options;
  if (record.database.kind === 'postgres') return dumpPostgres(record.database.url, file);
  const dataDir = path.join(layout.storeDir(record.id), record.database.dir);
  if (!existsSync(dataDir))
    throw new InvalidState(
      `Store ${record.id} has no database yet (${dataDir}); there is nothing to back up.`,
    );
  const dumpRunning = options.dumpRunning ?? dumpThroughControlSocket(layout);
  let runningFailure: Error | undefined;
  try {
    await dumpRunning(record.id, file);
    const socket = {
      host: layout.databaseSocketDir(record.id),
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    };
    return embeddedFacts(await readFacts(socket));
  } catch (err) {
    if (!(err instanceof PlatformNotRunning)) runningFailure = err as Error;
  }
  try {
    return await dumpEmbeddedDirectory(dataDir, file);
  } catch (err) {
    // A platform runs the store but could not dump it: its answer says why, not the lock's refusal.
    if (runningFailure && err instanceof Conflict) throw runningFailure;
    throw err;
  }
}
