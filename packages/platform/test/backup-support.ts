import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { restoreEmbeddedDatabase, startEmbeddedDatabase } from '@shopstack/kernel';
import { pgliteTemplate } from '@shopstack/kernel/testing';
import pg from 'pg';
import { PlatformLayout } from '../src/layout.js';
import { createBackup } from '../src/backup/index.js';
import { StoreRegistry } from '../src/store-registry.js';

/** Helpers of the platform's backup tests: a small embedded store with data of its own, and snapshots of files. */

/** A platform directory of the test's own (a copy of `from`, if given), removed after it. */
export function testPlatform(
  t: TestContext,
  from?: string,
): { layout: PlatformLayout; registry: StoreRegistry } {
  const root = mkdtempSync(path.join(tmpdir(), 'shopstack-backup-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  if (from) cpSync(from, root, { recursive: true });
  const layout = new PlatformLayout(root);
  return { layout, registry: new StoreRegistry(layout) };
}

/** Runs statements on an embedded data directory (opened by this process, then closed). */
export async function withEmbedded<T>(dataDir: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const database = await startEmbeddedDatabase({ dataDir, purpose: 'backup test' });
  const client = new pg.Client({ ...database.connection });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
    await database.close();
  }
}

/**
 * Makes an embedded store `shop` in a platform directory: a table of 50 products, a migrations
 * table (as a service has) and two uploaded files, one of them hidden (local storage's content
 * types). Resolves with its products' rows.
 */
export async function addEmbeddedStore(layout: PlatformLayout, id = 'shop'): Promise<string[]> {
  await new StoreRegistry(layout).create({ id, name: 'Shop', domains: ['shop.example'], currency: 'EUR' });
  const dataDir = path.join(layout.storeDir(id), 'database');
  // A copy of a fresh data directory is quicker than initdb.
  await restoreEmbeddedDatabase(await pgliteTemplate(), dataDir);
  const rows = await withEmbedded(dataDir, async (client) => {
    await client.query('create schema catalogue');
    await client.query('create table catalogue.kysely_migration (name text primary key, timestamp text)');
    await client.query(
      `insert into catalogue.kysely_migration values ('0001-catalogue', 'x'), ('0002-stock', 'y')`,
    );
    await client.query('create table catalogue.products (id int primary key, name text not null, price int)');
    await client.query(
      `insert into catalogue.products select n, 'Product ' || n, n * 100 from generate_series(1, 50) n`,
    );
    return productRows(client);
  });
  const uploads = path.join(layout.storeDir(id), 'uploads');
  mkdirSync(path.join(uploads, 'images', '.meta'), { recursive: true });
  writeFileSync(path.join(uploads, 'images', 'p1.webp'), Buffer.from([0, 1, 2, 255, 254, 10, 13]));
  writeFileSync(path.join(uploads, 'images', '.meta', 'p1.webp.json'), '{"contentType":"image/webp"}');
  return rows;
}

/** Every row of the test store's products, in order. */
export async function productRows(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ row: string }>(
    'select p::text as row from catalogue.products p order by id',
  );
  return rows.map((r) => r.row);
}

/** Every row of the products of the store whose data directory this is. */
export function products(dataDir: string): Promise<string[]> {
  return withEmbedded(dataDir, productRows);
}

/** Every file under a directory (hidden ones too) with its SHA-256: equal snapshots mean nothing changed. */
export function snapshot(
  dir: string,
  skip: (relative: string) => boolean = () => false,
): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      const relative = path.relative(dir, full);
      if (skip(relative)) continue;
      if (statSync(full).isDirectory()) {
        out[`${relative}/`] = 'dir';
        walk(full);
      } else out[relative] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** A platform directory holding the embedded store `shop` and one backup of it, to copy per test. */
export interface BackedUpStore {
  root: string;
  /** The store's products when it was backed up. */
  rows: string[];
  backupId: string;
  /** The uploads directory's snapshot when it was backed up. */
  uploads: Record<string, string>;
}

/** Makes a BackedUpStore (removed when the process exits). */
export async function backedUpStore(): Promise<BackedUpStore> {
  const root = mkdtempSync(path.join(tmpdir(), 'shopstack-backup-template-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  const layout = new PlatformLayout(root);
  const rows = await addEmbeddedStore(layout);
  const { id } = await createBackup({ layout, store: 'shop' });
  return { root, rows, backupId: id, uploads: snapshot(path.join(layout.storeDir('shop'), 'uploads')) };
}
