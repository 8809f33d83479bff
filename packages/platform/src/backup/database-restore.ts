import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Conflict, InvalidState, removeEmbeddedDatabase, restoreEmbeddedDatabase } from '@shopstack/kernel';
import type { PlatformLayout } from '../layout.js';
import type { StoreDatabase } from '../store-record.js';
import { createDatabase, databaseUrl, dropDatabase, storeDatabaseName } from '../store-registry.js';
import { backupIdSlug } from './backup-id.js';
import { runTool } from './tool.js';

/** PostgreSQL cuts longer names short (silently): two restores could then name one database. */
const MAX_IDENTIFIER = 63;

/** The server a store's PostgreSQL database lives on (its URL with the maintenance database). */
export function serverOf(database: StoreDatabase & { kind: 'postgres' }): string {
  return databaseUrl(database.url, 'postgres');
}

function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/**
 * Names for a restored database: the store's own when it is new, else the name plus the backup
 * (database-20261201t061500z, shopstack_shop_a_r20261201t061500z), numbered when taken.
 */
function* candidateNames(
  base: string,
  separator: '-' | '_r',
  backupId: string,
  fresh: boolean,
): Generator<string> {
  if (fresh) {
    yield base;
    return;
  }
  const join = separator === '-' ? '-' : '_';
  for (let n = 1; n < 100; n++) {
    const suffix = `${separator}${backupIdSlug(backupId)}${n > 1 ? `${join}${n}` : ''}`;
    yield `${base.slice(0, MAX_IDENTIFIER - suffix.length)}${suffix}`;
  }
}

export interface RestoreDatabaseOptions {
  layout: PlatformLayout;
  /** The store restored into. */
  store: string;
  kind: StoreDatabase['kind'];
  backupId: string;
  /** The dump file, checked against the manifest already. */
  dump: string;
  /** A new store takes the plain names (database/, shopstack_<id>); an existing one gets new ones beside its own. */
  fresh: boolean;
  /** PostgreSQL: the server to create the database on. */
  server?: string;
}

/**
 * Restores a dump into a database that did not exist before: a new embedded directory in the
 * store's directory, or a new database on the PostgreSQL server (pg_restore --no-owner). A failure
 * removes what it created. Resolves with the new database, as a store record names it.
 */
export async function restoreIntoNewDatabase(options: RestoreDatabaseOptions): Promise<StoreDatabase> {
  const storeDir = options.layout.storeDir(options.store);
  if (options.kind === 'embedded') {
    const dirs = candidateNames('database', '-', options.backupId, options.fresh);
    for (const dir of dirs) {
      const dataDir = path.join(storeDir, dir);
      if (existsSync(dataDir) || existsSync(`${dataDir}.lock`)) continue;
      await restoreEmbeddedDatabase(options.dump, dataDir).catch((err: Error) => {
        throw new InvalidState(
          `The database of backup ${options.backupId} could not be restored: ${err.message}`,
        );
      });
      return { kind: 'embedded', dir };
    }
    throw new Conflict(`Too many restores of backup ${options.backupId} in store ${options.store}.`);
  }
  const server = options.server;
  if (!server) throw new Error('restoring a PostgreSQL backup needs the server to restore to');
  for (const name of candidateNames(
    storeDatabaseName(options.store),
    '_r',
    options.backupId,
    options.fresh,
  )) {
    try {
      await createDatabase(server, name);
    } catch (err) {
      if (err instanceof Conflict && !options.fresh) continue;
      throw err;
    }
    const url = databaseUrl(server, name);
    try {
      const jobs = Math.max(1, Math.min(4, availableParallelism()));
      await runTool('pg_restore', [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--no-password',
        `--jobs=${jobs}`,
        `--dbname=${url}`,
        options.dump,
      ]);
    } catch (err) {
      await dropDatabase(server, name).catch(() => {});
      throw err;
    }
    return { kind: 'postgres', url };
  }
  throw new Conflict(
    `Too many restores of backup ${options.backupId} of store ${options.store} on the server.`,
  );
}

/**
 * Deletes a store's database that it no longer runs on (the one before a restore, once confirmed):
 * an embedded directory (refused while a process holds it) or a PostgreSQL database.
 */
export async function dropStoreDatabase(
  layout: PlatformLayout,
  store: string,
  database: StoreDatabase,
  server?: string,
): Promise<void> {
  if (database.kind === 'embedded') {
    removeEmbeddedDatabase(path.join(layout.storeDir(store), database.dir));
    return;
  }
  await dropDatabase(server ?? serverOf(database), databaseNameOf(database.url));
}
