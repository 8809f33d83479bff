import type { PlatformLayout } from '../layout.js';
import { StoreRegistry } from '../store-registry.js';
import { openBackupStorage, type BackupTarget } from './backup-storage.js';
import { backupsToDelete } from './retention.js';

export interface PruneBackupsOptions {
  layout: PlatformLayout;
  store: string;
  /** Default: the store's backup policy. */
  target?: BackupTarget;
  env?: NodeJS.ProcessEnv;
}

/** Deletes the backups of a store that its retention policy no longer keeps; resolves with their ids. */
export async function pruneBackups(
  options: PruneBackupsOptions,
): Promise<{ deleted: string[]; kept: number }> {
  const registry = new StoreRegistry(options.layout);
  const record = registry.get(options.store);
  const target = options.target ?? record.backup.target;
  const storage = openBackupStorage({ ...options, registry, record, target });
  try {
    const backups = await storage.list();
    const deleted = backupsToDelete(backups, record.backup);
    for (const id of deleted) await storage.remove(id);
    return { deleted, kept: backups.length - deleted.length };
  } finally {
    await storage.close();
  }
}
