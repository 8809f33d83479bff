import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Conflict, InvalidInput, InvalidState, VERSION } from '@shopstack/kernel';
import type { PlatformLayout } from '../layout.js';
import { firstError, StoreId, type StoreDatabase, type StoreRecord } from '../store-record.js';
import { StoreRegistry } from '../store-registry.js';
import { backupIdSlug, isBackupId } from './backup-id.js';
import {
  openBackupDirectory,
  openBackupStorage,
  type BackupStorage,
  type BackupTarget,
} from './backup-storage.js';
import { uploadsDirOf } from './create-backup.js';
import { dropStoreDatabase, restoreIntoNewDatabase, serverOf } from './database-restore.js';
import { UnusableBackup, type BackupManifest } from './manifest.js';
import { unpackUploads, workDir } from './parts.js';
import { notifyThroughControlSocket, type NotifyPlatform } from './platform-notice.js';

export interface RestoreBackupOptions {
  layout: PlatformLayout;
  /** The store whose backup it is (and, without `as`, the store restored). */
  store: string;
  /** A backup id, `latest`, or a backup's directory (…/<store>/<backup id>). */
  backup: string;
  /** Where the backups are; default: the store's backup policy. */
  from?: BackupTarget;
  /** Restore into a new store of this id (copied from the backup's record, without domains). */
  as?: string;
  /** The PostgreSQL server to restore to; default: the server the store's database is on. */
  postgresServer?: string;
  env?: NodeJS.ProcessEnv;
  /** How a running platform hears of the change (default: its control socket). */
  notify?: NotifyPlatform;
  now?: () => Date;
  report?: (message: string) => void;
}

/** A restore done. */
export interface RestoreSummary {
  store: string;
  backup: string;
  /** The database the store runs on now. */
  database: StoreDatabase;
  /** The one it ran on before, kept until `restore --confirm` (absent for a new store). */
  previousDatabase?: StoreDatabase;
  newStore: boolean;
  /** Whether a running platform took the change up (false: none runs). */
  platformNotified: boolean;
  elapsedMs: number;
}

function pickName(dir: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}_${n}`;
    if (!existsSync(path.join(dir, name))) return name;
  }
}

/** The backups the restore reads, and the backup's id. */
async function locate(
  options: RestoreBackupOptions,
  registry: StoreRegistry,
): Promise<{ storage: BackupStorage; id: string }> {
  if (options.backup.includes('/') || options.backup.includes(path.sep))
    return openBackupDirectory(options.backup);
  if (options.backup !== 'latest' && !isBackupId(options.backup))
    throw new InvalidInput(
      `"${options.backup}" is not a backup id (such as 20261201T061500Z), "latest" or a backup directory.`,
      'backup',
    );
  const record = registry.has(options.store) ? registry.get(options.store) : undefined;
  const target = options.from ?? record?.backup.target ?? 'local';
  const storage = openBackupStorage({ ...options, registry, store: options.store, record, target });
  if (options.backup !== 'latest') return { storage, id: options.backup };
  const newest = (await storage.list()).filter((b) => b.complete).at(-1);
  if (!newest) {
    await storage.close();
    throw new UnusableBackup(`Store ${options.store} has no complete backup in ${target} storage.`);
  }
  return { storage, id: newest.id };
}

/** The store restored into: the existing one (checked it can take the backup), or the new one's id. */
function targetOf(options: RestoreBackupOptions, registry: StoreRegistry, manifest: BackupManifest) {
  if (options.as !== undefined) {
    const problem = firstError(StoreId, options.as);
    if (problem)
      throw new InvalidInput(
        `--as ${options.as} is not a store id: ${problem.replace(/^\(root\): /, '')}.`,
        'as',
      );
    if (registry.has(options.as) || existsSync(registry.layout.storeDir(options.as)))
      throw new Conflict(`A store "${options.as}" exists already; --as names a new store.`);
    return { id: options.as, record: undefined };
  }
  if (manifest.store.id !== options.store)
    throw new InvalidState(
      `Backup ${manifest.id} is of store ${manifest.store.id}, not ${options.store}: restore it as a new store with --as <id>.`,
    );
  if (!registry.has(options.store))
    throw new InvalidState(
      `Store ${options.store} does not exist (any more): restore it as a new store with --as <id>.`,
    );
  const record = registry.get(options.store);
  if (record.pendingRestore)
    throw new InvalidState(
      `Store ${record.id} has a restore of backup ${record.pendingRestore.backup} not yet confirmed: run "shopstack restore ${record.id} --confirm" (keep it) or "--undo" (go back) first.`,
    );
  if (record.database.kind !== manifest.database.kind)
    throw new InvalidState(
      `Backup ${manifest.id} holds an ${manifest.database.kind} database; store ${record.id} runs on ${record.database.kind}: restore it as a new store with --as <id>.`,
    );
  return { id: record.id, record };
}

/**
 * Restores a backup. Every part is checked against the manifest (size, SHA-256) before anything
 * changes; then the database is restored into a new one, the uploads into a new directory swapped
 * in, and the store's record switched to them, keeping the old database (and uploads) until
 * `confirmRestore`. A running platform reopens the store on its new database. With `as`, a new
 * store is made instead, from the backup's record, without domains.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreSummary> {
  const started = Date.now();
  const { layout } = options;
  const report = options.report ?? (() => {});
  const registry = new StoreRegistry(layout);
  const { storage, id } = await locate(options, registry);
  const work = workDir(path.join(layout.backupsDir, '.work'));
  const undo: Array<() => Promise<void> | void> = [];
  try {
    const manifest = await storage.manifest(id);
    if (manifest.id !== id)
      throw new UnusableBackup(`Backup ${id}: its manifest names backup ${manifest.id}.`);
    const target = targetOf(options, registry, manifest);
    const files: Record<string, string> = {};
    for (const part of manifest.parts) {
      files[part.name] = path.join(work, part.file);
      await storage.fetch(id, part, files[part.name]!);
    }
    report(
      `backup ${id} verified: ${manifest.parts.map((p) => `${p.name} ${p.bytes} bytes`).join(', ')}, SHA-256 match`,
    );
    if (manifest.shopstackVersion !== VERSION)
      report(`note: the backup was taken by ShopStack ${manifest.shopstackVersion}; this is ${VERSION}`);

    // From here on things change; each step registers how to take it back should a later one fail.
    const storeDir = layout.storeDir(target.id);
    if (!target.record) {
      mkdirSync(storeDir, { recursive: true });
      undo.push(() => rmSync(storeDir, { recursive: true, force: true }));
    }
    const uploads = uploadsDirOf(layout, target.id);
    const slug = backupIdSlug(id);
    const incoming = path.join(storeDir, pickName(storeDir, `uploads-${slug}`));
    // Unpacked first: a damaged archive stops the restore before the (longer) database restore.
    await unpackUploads(files.uploads!, incoming).catch((err: Error) => {
      throw new UnusableBackup(
        `Backup ${id}: part uploads (uploads.tar.gz) could not be unpacked: ${err.message}`,
      );
    });
    undo.push(() => rmSync(incoming, { recursive: true, force: true }));

    const kind = manifest.database.kind;
    const previous = target.record?.database;
    const server =
      kind === 'postgres'
        ? (options.postgresServer ??
          serverOf((previous ?? manifest.store.database) as StoreDatabase & { kind: 'postgres' }))
        : undefined;
    const database = await restoreIntoNewDatabase({
      layout,
      store: target.id,
      kind,
      backupId: id,
      dump: files.database!,
      fresh: !target.record,
      server,
    });
    undo.push(() => dropStoreDatabase(layout, target.id, database, server));
    report(`database restored into ${database.kind === 'embedded' ? database.dir : database.url}`);

    let previousUploads: string | undefined;
    if (existsSync(uploads)) {
      previousUploads = pickName(storeDir, `uploads-before-${slug}`);
      renameSync(uploads, path.join(storeDir, previousUploads));
      undo.push(() => renameSync(path.join(storeDir, previousUploads!), uploads));
    }
    renameSync(incoming, uploads);
    undo.push(() => renameSync(uploads, incoming));
    report(`uploads restored${previousUploads ? ` (the previous ones kept in ${previousUploads})` : ''}`);

    const at = (options.now ?? (() => new Date()))();
    if (target.record) {
      registry.update(target.id, (record) => ({
        ...record,
        database,
        pendingRestore: {
          backup: id,
          at: at.toISOString(),
          previousDatabase: record.database,
          ...(previousUploads ? { previousUploads } : {}),
        },
      }));
    } else {
      const { pendingRestore: _none, ...copied } = manifest.store;
      const record: StoreRecord = {
        ...copied,
        id: target.id,
        domains: [],
        database,
        createdAt: at.toISOString(),
      };
      registry.save(record);
    }
    undo.length = 0;
    report(`store ${target.id} now runs on the restored database`);
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // Taking back what can be taken back; the error that stopped the restore is the one to report.
      }
    }
    throw err;
  } finally {
    rmSync(work, { recursive: true, force: true });
    await storage.close();
  }

  const targetId = options.as ?? options.store;
  const record = registry.get(targetId);
  const notify = options.notify ?? notifyThroughControlSocket(layout);
  let platformNotified: boolean;
  try {
    platformNotified = await notify(targetId, options.as !== undefined ? 'sync' : 'reopen', report);
  } catch (err) {
    throw new InvalidState(
      `Store ${targetId} was restored, but the running platform could not reopen it: ${(err as Error).message}` +
        (record.pendingRestore ? ` ("shopstack restore ${targetId} --undo" goes back).` : ''),
    );
  }
  return {
    store: targetId,
    backup: id,
    database: record.database,
    ...(record.pendingRestore ? { previousDatabase: record.pendingRestore.previousDatabase } : {}),
    newStore: options.as !== undefined,
    platformNotified,
    elapsedMs: Date.now() - started,
  };
}
