import type { PlatformLayout } from '../layout.js';
import { StoreRegistry } from '../store-registry.js';
import { openBackupStorage, type BackupTarget } from './backup-storage.js';
import type { BackupManifest } from './manifest.js';

/** One backup of a store, as `shopstack backups` lists it. */
export interface BackupListing {
  id: string;
  /** When it was taken (ISO 8601). */
  createdAt: string;
  bytes: number;
  target: BackupTarget;
  location: string;
  /** Whether it finished (has its manifest). */
  complete: boolean;
  /** What the manifest says, for complete backups whose manifest is valid. */
  databaseKind?: BackupManifest['database']['kind'];
  shopstackVersion?: string;
  /** Why it cannot be restored, when it cannot. */
  problem?: string;
}

export interface ListBackupsOptions {
  layout: PlatformLayout;
  store: string;
  /** Default: the store's backup policy (local for a store that no longer exists). */
  target?: BackupTarget;
  env?: NodeJS.ProcessEnv;
}

/** A store's backups in a target, oldest first, with what their manifests say. */
export async function listBackups(options: ListBackupsOptions): Promise<BackupListing[]> {
  const registry = new StoreRegistry(options.layout);
  const record = registry.has(options.store) ? registry.get(options.store) : undefined;
  const target = options.target ?? record?.backup.target ?? 'local';
  const storage = openBackupStorage({ ...options, registry, record, target });
  try {
    const listings: BackupListing[] = [];
    for (const backup of await storage.list()) {
      const listing: BackupListing = {
        id: backup.id,
        createdAt: backup.time.toISOString(),
        bytes: backup.bytes,
        target,
        location: storage.location(backup.id),
        complete: backup.complete,
      };
      if (backup.complete) {
        try {
          const manifest = await storage.manifest(backup.id);
          listing.createdAt = manifest.createdAt;
          listing.databaseKind = manifest.database.kind;
          listing.shopstackVersion = manifest.shopstackVersion;
        } catch (err) {
          listing.problem = (err as Error).message;
        }
      } else {
        listing.problem = 'incomplete: it has no manifest (it failed, or is still being written)';
      }
      listings.push(listing);
    }
    return listings;
  } finally {
    await storage.close();
  }
}
