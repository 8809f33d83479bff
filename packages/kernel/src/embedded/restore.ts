import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Conflict } from '../errors.js';
import { lockDataDirectory } from './lock.js';

/**
 * Creates a new embedded data directory from a dump (a gzip tarball of a PGlite data directory, as
 * EmbeddedDatabase.dump writes it), then closes it. The directory must not hold a database yet:
 * a restore never writes over one. Nobody else may open it meanwhile (it is locked), and a restore
 * that fails leaves no half-written directory behind.
 */
export async function restoreEmbeddedDatabase(dump: string, dataDir: string): Promise<void> {
  const dir = path.resolve(dataDir);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new Conflict(`The embedded database ${dir} exists already; a restore only creates new ones.`);
  const release = lockDataDirectory(dir, 'shopstack restore');
  try {
    // Loaded here: most processes that import the kernel never restore, and PGlite is large.
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const db = await PGlite.create(dir, {
      extensions: { pg_trgm },
      loadDataDir: new Blob([readFileSync(dump)]),
    });
    try {
      // The restored server starts and answers: the tarball held a whole data directory.
      await db.query('select 1');
    } finally {
      await db.close();
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    release();
  }
}

/**
 * Deletes an embedded data directory that no process holds (its lock is taken first, so a
 * database still open elsewhere is refused with Conflict rather than deleted under it).
 */
export function removeEmbeddedDatabase(dataDir: string): void {
  const release = lockDataDirectory(dataDir, 'shopstack remove');
  try {
    rmSync(path.resolve(dataDir), { recursive: true, force: true });
  } finally {
    release();
  }
}
