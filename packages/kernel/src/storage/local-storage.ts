import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertObjectKey, assertObjectPrefix } from './object-key.js';
import type { ListedObject, ObjectInfo, ObjectStorage, StoredObject } from './storage.js';

/** Files being written, renamed into place once complete (same file system, so the rename is atomic). */
const TEMP_DIR = '.partial';
/** What a file cannot say about itself (its content type), beside it. Keys never start with a dot. */
const META_DIR = '.meta';

interface ObjectMeta {
  contentType?: string;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Objects as files under a directory, one file per key (`a/b.webp` is `<root>/a/b.webp`). Each put
 * writes and flushes a temporary file, then renames it over the key's file, so a reader never sees
 * half an object. A key cannot also be the folder of other keys (`a` and `a/b`), as it can on S3.
 */
export class LocalObjectStorage implements ObjectStorage {
  readonly kind = 'local';

  constructor(readonly root: string) {}

  private fileOf(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  private metaFileOf(key: string): string {
    return `${path.join(this.root, META_DIR, ...key.split('/'))}.json`;
  }

  async put(key: string, body: Buffer | Readable, options: { contentType?: string } = {}): Promise<void> {
    assertObjectKey(key);
    const meta: ObjectMeta = options.contentType ? { contentType: options.contentType } : {};
    await this.replace(this.metaFileOf(key), Buffer.from(JSON.stringify(meta)));
    await this.replace(this.fileOf(key), body);
  }

  /** Writes a file whole: a temporary file, flushed to disk, then renamed over the target. */
  private async replace(target: string, body: Buffer | Readable): Promise<void> {
    const temp = path.join(this.root, TEMP_DIR, `${randomUUID()}.part`);
    await mkdir(path.dirname(temp), { recursive: true });
    try {
      if (Buffer.isBuffer(body)) await writeFile(temp, body, { flag: 'wx', flush: true });
      else await pipeline(body, createWriteStream(temp, { flags: 'wx', flush: true }));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  private async readMeta(key: string): Promise<ObjectMeta> {
    try {
      return JSON.parse(await readFile(this.metaFileOf(key), 'utf8')) as ObjectMeta;
    } catch (err) {
      if (isMissing(err)) return {};
      throw err;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    assertObjectKey(key);
    const meta = await this.readMeta(key);
    let handle;
    try {
      handle = await open(this.fileOf(key), 'r');
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    // The open file is read even if another put renames a new one over its name meanwhile.
    const stats = await handle.stat().catch(async (err: unknown) => {
      await handle.close();
      throw err;
    });
    if (!stats.isFile()) {
      await handle.close();
      return null;
    }
    return { body: handle.createReadStream(), size: stats.size, ...meta };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertObjectKey(key);
    try {
      const stats = await stat(this.fileOf(key));
      return stats.isFile() ? { size: stats.size, ...(await this.readMeta(key)) } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    await rm(this.fileOf(key), { force: true });
    await rm(this.metaFileOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertObjectPrefix(prefix);
    // Only the folder the prefix names can hold matching keys: `a/b` lists under `a/`.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const found: ListedObject[] = [];
    await this.collect(folder, prefix, found);
    // In key order, as S3 lists (byte order of UTF-8, which is code unit order for these characters).
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* found;
  }

  private async collect(folder: string, prefix: string, found: ListedObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder ? this.fileOf(folder) : this.root, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      // Temporary and metadata files, and anything else no key could name.
      if (entry.name.startsWith('.')) continue;
      const key = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.collect(key, prefix, found);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const stats = await stat(this.fileOf(key)).catch((err: unknown) => {
          if (isMissing(err)) return null;
          throw err;
        });
        if (stats) found.push({ key, size: stats.size });
      }
    }
  }

  async close(): Promise<void> {}
}
