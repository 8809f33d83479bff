import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createObjectStorage,
  InvalidInput,
  LocalObjectStorage,
  loadConfig,
  type ListedObject,
  type ObjectStorage,
} from '@shopstack/kernel';
import type { PlatformLayout } from '../layout.js';
import type { StoreRecord } from '../store-record.js';
import type { StoreRegistry } from '../store-registry.js';
import { backupTime, compareBackupIds, isBackupId } from './backup-id.js';
import {
  MANIFEST_FILE,
  parseManifest,
  UnusableBackup,
  type BackupManifest,
  type BackupPart,
} from './manifest.js';

/** Where a store's backups go: the platform's backups directory, or an S3-compatible bucket. */
export type BackupTarget = 'local' | 's3';

/** One backup as its storage lists it. */
export interface StoredBackup {
  id: string;
  time: Date;
  /** Bytes of all its files. */
  bytes: number;
  /** Whether its manifest is there: it is written last, so a backup without one did not finish. */
  complete: boolean;
}

/** Variables of the command's environment that name or open the S3 bucket backups go to. */
const S3_VARIABLES = [
  'S3_BUCKET',
  'S3_ENDPOINT',
  'S3_REGION',
  'S3_FORCE_PATH_STYLE',
  'S3_PREFIX',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
];

/**
 * The backups of one store in one place: keys `<store>/<backup id>/<file>`, under the platform's
 * backups directory (backups/<store>/<id>/) or the `backups` area of the store's S3 storage.
 */
export class BackupStorage {
  constructor(
    readonly target: BackupTarget,
    readonly store: string,
    private readonly storage: ObjectStorage,
    /** Where a key lives, as people read it: a path or an s3:// URL. */
    private readonly where: (key: string) => string,
    /** The local root, to tidy empty directories after a delete. */
    private readonly localRoot?: string,
  ) {}

  private key(id: string, file = ''): string {
    return `${this.store}/${id}/${file}`;
  }

  /** Where a backup lives: a directory or an s3:// prefix. */
  location(id: string): string {
    return this.where(this.key(id));
  }

  /** Every backup of the store, oldest first; incomplete ones too. */
  async list(): Promise<StoredBackup[]> {
    const byId = new Map<string, ListedObject[]>();
    for await (const object of this.storage.list(`${this.store}/`)) {
      const id = object.key.split('/')[1] ?? '';
      if (!isBackupId(id)) continue;
      byId.set(id, [...(byId.get(id) ?? []), object]);
    }
    return [...byId.entries()]
      .sort(([a], [b]) => compareBackupIds(a, b))
      .map(([id, objects]) => ({
        id,
        time: backupTime(id)!,
        bytes: objects.reduce((sum, o) => sum + o.size, 0),
        complete: objects.some((o) => o.key === this.key(id, MANIFEST_FILE)),
      }));
  }

  /** Whether any file of a backup id exists (a backup of that id was started). */
  async exists(id: string): Promise<boolean> {
    for await (const _ of this.storage.list(this.key(id))) return true;
    return false;
  }

  /** A backup's manifest; UnusableBackup when it is missing or invalid. */
  async manifest(id: string): Promise<BackupManifest> {
    const object = await this.storage.get(this.key(id, MANIFEST_FILE));
    if (!object)
      throw new UnusableBackup(
        `Backup ${id} of store ${this.store} has no ${MANIFEST_FILE} at ${this.location(id)}: it is missing or did not finish.`,
      );
    const chunks: Buffer[] = [];
    for await (const chunk of object.body as AsyncIterable<Buffer>) chunks.push(chunk);
    return parseManifest(Buffer.concat(chunks).toString('utf8'), id);
  }

  /** Stores a file of a backup. */
  async put(id: string, file: string, from: string, contentType: string): Promise<void> {
    await this.storage.put(this.key(id, file), createReadStream(from), { contentType });
  }

  /** Stores a backup's manifest: the last file of a backup, which makes it complete. Resolves with its size. */
  async putManifest(manifest: BackupManifest): Promise<number> {
    const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await this.storage.put(this.key(manifest.id, MANIFEST_FILE), body, { contentType: 'application/json' });
    return body.length;
  }

  /**
   * Copies a part of a backup to a local file, checking on the way that it has the size and SHA-256
   * the manifest gives; UnusableBackup names the part otherwise.
   */
  async fetch(id: string, part: BackupPart, to: string): Promise<void> {
    const object = await this.storage.get(this.key(id, part.file));
    const name = `part ${part.name} (${part.file})`;
    if (!object) throw new UnusableBackup(`Backup ${id}: ${name} is missing.`);
    const hash = createHash('sha256');
    let bytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(object.body, measure, createWriteStream(to));
    if (bytes !== part.bytes)
      throw new UnusableBackup(
        `Backup ${id}: ${name} is ${bytes} bytes, the manifest says ${part.bytes}: it is truncated or damaged.`,
      );
    if (hash.digest('hex') !== part.sha256)
      throw new UnusableBackup(`Backup ${id}: ${name} does not match its SHA-256 checksum: it is corrupt.`);
  }

  /** Deletes every file of a backup. */
  async remove(id: string): Promise<void> {
    const keys: string[] = [];
    for await (const object of this.storage.list(this.key(id))) keys.push(object.key);
    for (const key of keys) await this.storage.delete(key);
    if (this.localRoot) {
      // Local storage deletes files; the backup's directories would stay behind, empty.
      await rm(path.join(this.localRoot, this.store, id), { recursive: true, force: true });
      await rm(path.join(this.localRoot, '.meta', this.store, id), { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await this.storage.close();
  }
}

export interface OpenBackupStorageOptions {
  layout: PlatformLayout;
  registry: StoreRegistry;
  /** The store whose backups these are. */
  store: string;
  /** Its record, when it exists: its storage settings name the bucket of an s3 target. */
  record?: StoreRecord;
  target: BackupTarget;
  /** S3_* variables here override the store's storage settings (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The backups of a store in a target. */
export function openBackupStorage(options: OpenBackupStorageOptions): BackupStorage {
  const { layout, record, store, target } = options;
  if (target === 'local') {
    const root = layout.backupsDir;
    return new BackupStorage(
      'local',
      store,
      new LocalObjectStorage(root),
      (key) => localPath(root, key),
      root,
    );
  }
  const env = options.env ?? process.env;
  const variables: Record<string, string> = {};
  for (const name of S3_VARIABLES) if (env[name]) variables[name] = env[name];
  // A removed store's backups are found with the variables alone.
  const config = record
    ? loadConfig({ env: { SHOPSTACK_CONFIG: options.registry.writeProcessConfig(record), ...variables } })
    : loadConfig({ env: variables, cwd: layout.root });
  const s3 = config.storage.s3;
  if (!s3)
    throw new InvalidInput(
      `No S3 bucket for the backups of store ${store}: set S3_BUCKET (and S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY) or the store's storage.s3 settings.`,
      'target',
    );
  const storage = createObjectStorage({ ...config, storage: { ...config.storage, kind: 's3' } }, 'backups');
  const base = `s3://${s3.bucket}/${s3.prefix ? `${s3.prefix}/` : ''}backups/`;
  return new BackupStorage('s3', store, storage, (key) => `${base}${key}`);
}

function localPath(root: string, key: string): string {
  return `${path.join(root, ...key.split('/'))}${key.endsWith('/') ? path.sep : ''}`;
}

/**
 * A backup given by its directory (<anything>/<store>/<backup id>/, as the backups directory holds
 * them, copied elsewhere or not): its storage and id.
 */
export function openBackupDirectory(dir: string): { storage: BackupStorage; id: string } {
  const full = path.resolve(dir);
  const id = path.basename(full);
  const store = path.basename(path.dirname(full));
  const root = path.dirname(path.dirname(full));
  if (!isBackupId(id))
    throw new InvalidInput(
      `${dir} is not a backup directory: its name is not a backup id (such as 20261201T061500Z).`,
      'backup',
    );
  return {
    storage: new BackupStorage('local', store, new LocalObjectStorage(root), (key) => localPath(root, key)),
    id,
  };
}
