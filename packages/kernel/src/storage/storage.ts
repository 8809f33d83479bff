import path from 'node:path';
import type { Readable } from 'node:stream';
import { objectStorageKind, storeDataDir, type Config } from '../config.js';
import { LocalObjectStorage } from './local-storage.js';
import { S3ObjectStorage } from './s3-storage.js';

/** What a stored object is, short of its bytes. */
export interface ObjectInfo {
  size: number;
  contentType?: string;
}

/** A stored object: its bytes as a stream the caller must consume or destroy. */
export interface StoredObject extends ObjectInfo {
  body: Readable;
}

/** One entry of a listing. */
export interface ListedObject {
  key: string;
  size: number;
}

/**
 * Byte objects by key: product images today, backups later. Keys are checked (see assertObjectKey);
 * a put replaces the object whole (a reader sees the old bytes or the new, never a mix); a missing
 * key is null, never an error; deleting a missing key does nothing.
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer | Readable, options?: { contentType?: string }): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  delete(key: string): Promise<void>;
  /** Every object whose key starts with the prefix, in key order. */
  list(prefix: string): AsyncIterable<ListedObject>;
  /** Releases connections; the storage is not used afterwards. */
  close(): Promise<void>;
}

/** Names of areas: one lower-case word or words joined by dashes (images, backups). */
const AREA = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The directory local storage keeps its areas in: storage.dir, else `uploads` in the store's data directory. */
export function localStorageDir(config: Config): string {
  return path.resolve(config.storage.dir ?? path.join(storeDataDir(config), 'uploads'));
}

/**
 * The object storage of one area (`images`, `backups`) as the configuration says: a directory of
 * the area under localStorageDir, or the keys under `<storage.s3.prefix>/<area>/` of an S3 bucket.
 */
export function createObjectStorage(config: Config, area: string): ObjectStorage {
  if (!AREA.test(area)) throw new Error(`Invalid storage area ${JSON.stringify(area)}`);
  if (objectStorageKind(config) === 'local') {
    return new LocalObjectStorage(path.join(localStorageDir(config), area));
  }
  const s3 = config.storage.s3;
  if (!s3) throw new Error('storage.kind is s3 but storage.s3.bucket is not set');
  return new S3ObjectStorage({
    bucket: s3.bucket,
    region: s3.region ?? 'us-east-1',
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    // S3-compatible servers (MinIO, s3rver, ...) mostly want bucket names in the path, not the host.
    forcePathStyle: s3.forcePathStyle ?? s3.endpoint !== undefined,
    prefix: s3.prefix ? `${s3.prefix}/${area}` : area,
    ...(s3.accessKeyId && s3.secretAccessKey
      ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }
      : {}),
  });
}
