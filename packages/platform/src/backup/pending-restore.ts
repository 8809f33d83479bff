import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InvalidState } from '@shopstack/kernel';
import type { PlatformLayout } from '../layout.js';
import type { PendingRestore, StoreDatabase, StoreRecord } from '../store-record.js';
import { StoreRegistry } from '../store-registry.js';
import { uploadsDirOf } from './create-backup.js';
import { dropStoreDatabase } from './database-restore.js';
import { notifyThroughControlSocket, type NotifyPlatform } from './platform-notice.js';

export interface PendingRestoreOptions {
  layout: PlatformLayout;
  store: string;
  /** The PostgreSQL server of the database to drop; default: the one it is on. */
  postgresServer?: string;
  notify?: NotifyPlatform;
  report?: (message: string) => void;
}

function pendingOf(registry: StoreRegistry, store: string): { record: StoreRecord; pending: PendingRestore } {
  const record = registry.get(store);
  if (!record.pendingRestore)
    throw new InvalidState(`Store ${store} has no restore waiting to be confirmed or undone.`);
  return { record, pending: record.pendingRestore };
}

function describe(database: StoreDatabase): string {
  return database.kind === 'embedded' ? `embedded ${database.dir}` : database.url;
}

function sameDatabase(a: StoreDatabase, b: StoreDatabase): boolean {
  return a.kind === 'embedded' && b.kind === 'embedded'
    ? a.dir === b.dir
    : a.kind === b.kind && 'url' in a && 'url' in b && a.url === b.url;
}

/**
 * Keeps a restore: deletes the database the store ran on before it and the uploads it replaced,
 * and forgets them. Resolves with a description of what was deleted.
 */
export async function confirmRestore(options: PendingRestoreOptions): Promise<string[]> {
  const registry = new StoreRegistry(options.layout);
  const { record, pending } = pendingOf(registry, options.store);
  if (sameDatabase(pending.previousDatabase, record.database))
    throw new InvalidState(
      `Store ${record.id}: the previous database is the one it runs on; nothing is deleted.`,
    );
  await dropStoreDatabase(options.layout, record.id, pending.previousDatabase, options.postgresServer);
  const deleted = [`database ${describe(pending.previousDatabase)}`];
  if (pending.previousUploads) {
    rmSync(path.join(options.layout.storeDir(record.id), pending.previousUploads), {
      recursive: true,
      force: true,
    });
    deleted.push(`uploads ${pending.previousUploads}`);
  }
  registry.update(record.id, ({ pendingRestore: _done, ...rest }) => rest);
  return deleted;
}

/**
 * Takes a restore back: the store returns to the database and uploads it had before, a running
 * platform reopens it on them, and the restored database is deleted. Resolves with whether a
 * running platform was told.
 */
export async function undoRestore(options: PendingRestoreOptions): Promise<boolean> {
  const { layout } = options;
  const registry = new StoreRegistry(layout);
  const { record, pending } = pendingOf(registry, options.store);
  const storeDir = layout.storeDir(record.id);
  const uploads = uploadsDirOf(layout, record.id);
  const discarded = path.join(storeDir, `uploads-undone-${Date.now()}`);
  if (existsSync(uploads)) renameSync(uploads, discarded);
  if (pending.previousUploads) renameSync(path.join(storeDir, pending.previousUploads), uploads);
  const restored = record.database;
  registry.update(record.id, ({ pendingRestore: _undone, ...rest }) => ({
    ...rest,
    database: pending.previousDatabase,
  }));
  const notify = options.notify ?? notifyThroughControlSocket(layout);
  const notified = await notify(record.id, 'reopen', options.report ?? (() => {}));
  // Only now does no process hold the restored database.
  await dropStoreDatabase(layout, record.id, restored, options.postgresServer);
  rmSync(discarded, { recursive: true, force: true });
  return notified;
}
