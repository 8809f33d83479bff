import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { create as createTar, extract as extractTar } from 'tar';

/** A file's size in bytes and SHA-256 (hex). */
export async function measureFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Packs a store's uploads directory, every file of it (hidden ones too: local storage keeps content
 * types beside the files), into a gzip tarball. A store without the directory gives an empty archive.
 */
export async function packUploads(uploadsDir: string, file: string): Promise<void> {
  if (existsSync(uploadsDir)) {
    await createTar({ gzip: true, file, cwd: uploadsDir, portable: true }, ['.']);
    return;
  }
  const empty = mkdtempSync(`${file}.empty-`);
  try {
    await createTar({ gzip: true, file, cwd: empty, portable: true }, ['.']);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

/** Unpacks an uploads tarball into a new directory (which must not exist yet). */
export async function unpackUploads(file: string, dir: string): Promise<void> {
  if (existsSync(dir)) throw new Error(`${dir} exists already`);
  mkdirSync(dir, { recursive: true });
  try {
    // strict: a damaged archive fails instead of leaving some files out; tar refuses paths outside dir.
    await extractTar({ file, cwd: dir, strict: true, preservePaths: false });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Work directories older than this were left by a process that died: no backup runs for a day. */
const STALE_WORK_MS = 24 * 3600_000;

/** A directory for a backup or restore's files in flight, inside `parent` (removed by the caller). */
export function workDir(parent: string): string {
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    const dir = path.join(parent, name);
    const modified = statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - modified > STALE_WORK_MS) rmSync(dir, { recursive: true, force: true });
  }
  return mkdtempSync(path.join(parent, 'work-'));
}
