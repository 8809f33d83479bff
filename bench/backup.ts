import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startEmbeddedDatabase } from '@shopstack/kernel';
import {
  confirmRestore,
  createBackup,
  dropDatabase,
  PlatformLayout,
  restoreBackup,
  StoreRegistry,
  storeDatabaseName,
  type StoreDatabase,
} from '@shopstack/platform';
import pg from 'pg';
import { seedStoreDatabase } from '../packages/cli/src/seed.js';
import { storeCommandConfig } from '../packages/cli/src/stores.js';
import { BENCH_POSTGRES_URL } from './postgres.js';
import type { Backend } from './report.js';

/** What backing up and restoring one store took, and how big its backup was. */
export interface BackupFigures {
  backend: Backend;
  products: number;
  /** Seeding the catalogue (not part of the backup; for scale). */
  seedSeconds: number;
  /** The database as it lies on disk (PostgreSQL: pg_database_size; embedded: its directory). */
  databaseMiB: number;
  /** The database part of the backup (pg_dump -Fc, or PGlite's gzip tarball). */
  dumpMiB: number;
  uploadsMiB: number;
  backupSeconds: number;
  /** Checking the backup, restoring it into a new database and uploads directory, switching the store. */
  restoreSeconds: number;
  /** Deleting the previous database (restore --confirm). */
  confirmSeconds: number;
  /** Products counted in the restored database: equal to `products` when the restore is whole. */
  restoredProducts: number;
}

const MiB = 1024 * 1024;
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;
const since = (started: number) => round((performance.now() - started) / 1000);

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(full) : statSync(full).size;
  }
  return total;
}

/** Runs `query` on a store's database as its record names it (an embedded one is opened for it). */
async function onDatabase<T>(
  layout: PlatformLayout,
  id: string,
  database: StoreDatabase,
  query: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const embedded =
    database.kind === 'embedded'
      ? await startEmbeddedDatabase({
          dataDir: path.join(layout.storeDir(id), database.dir),
          purpose: 'bench',
        })
      : undefined;
  const client = new pg.Client(
    embedded ? { ...embedded.connection } : { connectionString: (database as { url: string }).url },
  );
  try {
    await client.connect();
    return await query(client);
  } finally {
    await client.end().catch(() => {});
    await embedded?.close();
  }
}

const countProducts = async (client: pg.Client) =>
  Number((await client.query<{ n: string }>('select count(*) as n from catalogue.products')).rows[0]!.n);

/**
 * Makes a store of `products` demo products (and `uploadsMiB` of uploaded files) on a platform
 * directory of its own, backs it up, restores the backup over it and confirms the restore;
 * removes everything afterwards.
 */
export async function measureBackup(
  backend: Backend,
  products: number,
  uploadsMiB = 0,
): Promise<BackupFigures> {
  const root = mkdtempSync(path.join(tmpdir(), 'shopstack-bench-backup-'));
  const layout = new PlatformLayout(root);
  const registry = new StoreRegistry(layout);
  const id = `bench-${randomBytes(3).toString('hex')}`;
  try {
    await registry.create({
      id,
      name: 'Bench Store',
      domains: [],
      currency: 'EUR',
      ...(backend === 'postgres' ? { postgresServer: BENCH_POSTGRES_URL } : {}),
    });
    registry.update(id, (record) => ({ ...record, settings: { log: { level: 'warn' } } }));
    let started = performance.now();
    await seedStoreDatabase(storeCommandConfig(registry, registry.get(id)), { products });
    const seedSeconds = since(started);
    const uploads = path.join(layout.storeDir(id), 'uploads', 'images');
    mkdirSync(uploads, { recursive: true });
    // Product images are compressed already: random bytes stand for them.
    for (let i = 0; i < uploadsMiB; i++)
      writeFileSync(path.join(uploads, `image-${i}.webp`), randomBytes(MiB));

    const before = registry.get(id).database;
    const databaseBytes =
      before.kind === 'embedded'
        ? directoryBytes(path.join(layout.storeDir(id), before.dir))
        : await onDatabase(layout, id, before, async (client) =>
            Number(
              (await client.query<{ n: string }>('select pg_database_size(current_database()) as n')).rows[0]!
                .n,
            ),
          );

    started = performance.now();
    const backup = await createBackup({ layout, store: id });
    const backupSeconds = since(started);

    started = performance.now();
    await restoreBackup({ layout, store: id, backup: backup.id, notify: async () => false });
    const restoreSeconds = since(started);
    const restoredProducts = await onDatabase(layout, id, registry.get(id).database, countProducts);

    started = performance.now();
    await confirmRestore({ layout, store: id });
    const confirmSeconds = since(started);

    const part = (name: string) => backup.parts.find((p) => p.name === name)!.bytes;
    return {
      backend,
      products,
      seedSeconds,
      databaseMiB: round(databaseBytes / MiB),
      dumpMiB: round(part('database') / MiB),
      uploadsMiB: round(part('uploads') / MiB),
      backupSeconds,
      restoreSeconds,
      confirmSeconds,
      restoredProducts,
    };
  } finally {
    if (backend === 'postgres') {
      const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
      await admin.connect();
      const { rows } = await admin.query<{ name: string }>(
        'select datname as name from pg_database where starts_with(datname, $1)',
        [storeDatabaseName(id)],
      );
      await admin.end();
      for (const { name } of rows) await dropDatabase(BENCH_POSTGRES_URL, name);
    }
    rmSync(root, { recursive: true, force: true });
  }
}

/** The figures as a table, one line per run. */
export function formatBackupTable(figures: readonly BackupFigures[]): string {
  const header = [
    'backend',
    'products',
    'db MiB',
    'dump MiB',
    'uploads MiB',
    'backup s',
    'restore s',
    'confirm s',
    'seed s',
  ];
  const rows = figures.map((f) => [
    f.backend,
    String(f.products),
    f.databaseMiB.toFixed(2),
    f.dumpMiB.toFixed(2),
    f.uploadsMiB.toFixed(2),
    f.backupSeconds.toFixed(2),
    f.restoreSeconds.toFixed(2),
    f.confirmSeconds.toFixed(2),
    f.seedSeconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((row) =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '600' },
      backends: { type: 'string', default: 'pglite,postgres' },
      'uploads-mib': { type: 'string', default: '0' },
    },
  });
  const products = Number(values.products);
  const uploadsMiB = Number(values['uploads-mib']);
  if (!Number.isInteger(products) || products < 0)
    throw new Error(`--products: a whole number, got ${values.products}`);
  if (!Number.isInteger(uploadsMiB) || uploadsMiB < 0)
    throw new Error(`--uploads-mib: a whole number, got ${values['uploads-mib']}`);
  const backends = values.backends.split(',').map((b) => b.trim());
  for (const backend of backends)
    if (backend !== 'pglite' && backend !== 'postgres')
      throw new Error(`--backends: unknown backend ${backend}`);
  const figures: BackupFigures[] = [];
  for (const backend of backends as Backend[]) {
    console.error(`[backup bench] ${backend}: seeding ${products} products, backing up, restoring...`);
    const result = await measureBackup(backend, products, uploadsMiB);
    if (result.restoredProducts !== products)
      throw new Error(
        `${backend}: the restored store has ${result.restoredProducts} products, not ${products}`,
      );
    figures.push(result);
    console.log(JSON.stringify({ scenario: 'backup', ...result }));
  }
  console.log(`\nBackup and restore of one store:\n${formatBackupTable(figures)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
