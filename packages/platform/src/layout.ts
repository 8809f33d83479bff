import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Where a platform keeps its files. One directory holds everything: the platform's settings, each
 * store's settings, database, uploads and mail, local backups and the releases deploys start.
 *
 *   platform.json                 the platform's settings (gateway port, default worker count)
 *   stores/<id>/store.json        one store: name, domains, currency, services, workers, database
 *   stores/<id>/database/         its embedded database (after a restore, database-<time>/)
 *   stores/<id>/uploads/ mail/    its uploaded files and outgoing mail
 *   stores/<id>/slots.json        which release each deploy slot runs and which slot is live
 *   backups/<id>/<backup>/        local backups
 *   releases/<name>/              code trees deploys run (a git ref checked out, or a copy)
 *   run/control.sock              the running platform's control socket
 */
export class PlatformLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get settingsFile(): string {
    return path.join(this.root, 'platform.json');
  }

  get storesDir(): string {
    return path.join(this.root, 'stores');
  }

  storeDir(id: string): string {
    return path.join(this.storesDir, id);
  }

  storeFile(id: string): string {
    return path.join(this.storeDir(id), 'store.json');
  }

  /** The configuration file a store's processes load (written from store.json before each start). */
  storeConfigFile(id: string): string {
    return path.join(this.storeDir(id), 'run', 'config.json');
  }

  slotsFile(id: string): string {
    return path.join(this.storeDir(id), 'slots.json');
  }

  get backupsDir(): string {
    return path.join(this.root, 'backups');
  }

  get releasesDir(): string {
    return path.join(this.root, 'releases');
  }

  get controlSocket(): string {
    return path.join(this.root, 'run', 'control.sock');
  }

  /**
   * The directory of the socket an embedded store's database process serves on. A Unix socket path
   * must be short (about 100 bytes), so it lives under the temporary directory, named by a hash of
   * the store's directory: the same after every restart, different for every platform and store.
   */
  databaseSocketDir(id: string): string {
    const hash = createHash('sha256').update(this.storeDir(id)).digest('hex').slice(0, 16);
    return path.join(tmpdir(), `shopstack-${hash}`);
  }
}

/** The platform directory: --dir, else SHOPSTACK_PLATFORM_DIR, else ./platform. */
export function platformLayout(dir?: string, env: NodeJS.ProcessEnv = process.env): PlatformLayout {
  return new PlatformLayout(dir ?? env.SHOPSTACK_PLATFORM_DIR ?? './platform');
}
