import { rmSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '@shopstack/kernel';
import type { PlatformLayout } from '../layout.js';
import { StoreRegistry } from '../store-registry.js';
import { backupIdAt } from './backup-id.js';
import { openBackupStorage, type BackupTarget } from './backup-storage.js';
import { dumpStoreDatabase, type DumpRunningStore } from './database-dump.js';
import { BACKUP_FORMAT, type BackupManifest, type BackupPart } from './manifest.js';
import { measureFile, packUploads, workDir } from './parts.js';

export interface CreateBackupOptions {
  layout: PlatformLayout;
  store: string;
  /** Where it goes; default: the store's backup policy. */
  target?: BackupTarget;
  /** S3_* variables name the bucket of an s3 target (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The clock the backup's id comes from. */
  now?: () => Date;
  /** How a running platform dumps an embedded store (default: over its control socket). */
  dumpRunning?: DumpRunningStore;
  /** Each step as it ends. */
  report?: (message: string) => void;
}

/** A backup taken: where it went and what it holds. */
export interface BackupSummary {
  id: string;
  store: string;
  target: BackupTarget;
  location: string;
  parts: BackupPart[];
  /** Bytes of its files, the manifest included. */
  bytes: number;
  elapsedMs: number;
  manifest: BackupManifest;
}

/** Where a store's uploaded files live (stores/<id>/uploads). */
export function uploadsDirOf(layout: PlatformLayout, store: string): string {
  return path.join(layout.storeDir(store), 'uploads');
}

/**
 * Backs a store up: a consistent dump of its database and a tarball of its uploads, each with its
 * size and SHA-256 in a manifest written last (a backup without one is incomplete). A backup that
 * fails half way deletes what it wrote.
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupSummary> {
  const started = Date.now();
  const { layout } = options;
  const report = options.report ?? (() => {});
  const registry = new StoreRegistry(layout);
  const record = registry.get(options.store);
  const target = options.target ?? record.backup.target;
  const storage = openBackupStorage({ layout, registry, store: record.id, record, target, env: options.env });
  const at = (options.now ?? (() => new Date()))();
  let id = backupIdAt(at);
  for (let n = 2; await storage.exists(id); n++) id = backupIdAt(at, n);
  const work = workDir(path.join(layout.backupsDir, '.work'));
  let written = false;
  try {
    const databaseFile = record.database.kind === 'postgres' ? 'database.dump' : 'database.tar.gz';
    const dump = path.join(work, databaseFile);
    const facts = await dumpStoreDatabase({ layout, record, file: dump, dumpRunning: options.dumpRunning });
    const database: BackupPart = { name: 'database', file: databaseFile, ...(await measureFile(dump)) };
    report(`database dumped (${formatBytes(database.bytes)}, ${facts.database.kind})`);
    const uploadsFile = path.join(work, 'uploads.tar.gz');
    await packUploads(uploadsDirOf(layout, record.id), uploadsFile);
    const uploads: BackupPart = {
      name: 'uploads',
      file: 'uploads.tar.gz',
      ...(await measureFile(uploadsFile)),
    };
    report(`uploads packed (${formatBytes(uploads.bytes)})`);
    written = true;
    await storage.put(id, database.file, dump, 'application/octet-stream');
    await storage.put(id, uploads.file, uploadsFile, 'application/gzip');
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      id,
      store: record,
      shopstackVersion: VERSION,
      createdAt: at.toISOString(),
      database: facts.database,
      migrations: facts.migrations,
      parts: [database, uploads],
      elapsedMs: Date.now() - started,
    };
    const bytes = database.bytes + uploads.bytes + (await storage.putManifest(manifest));
    return {
      id,
      store: record.id,
      target,
      location: storage.location(id),
      parts: manifest.parts,
      bytes,
      elapsedMs: Date.now() - started,
      manifest,
    };
  } catch (err) {
    if (written) await storage.remove(id).catch(() => {});
    throw err;
  } finally {
    rmSync(work, { recursive: true, force: true });
    await storage.close();
  }
}

/** A size as people read it: 512 B, 3.4 KB, 12.0 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
