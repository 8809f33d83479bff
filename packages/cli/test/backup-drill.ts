import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { sql } from 'kysely';
import type { BackupManifest, StoreDatabase } from '@shopstack/platform';
import {
  createProduct,
  databasesOf,
  drillStore,
  fingerprintOf,
  openGuestCart,
  placeOrder,
  snapshot,
  standardShipping,
  withShop,
  type DrillKind,
  type DrillStore,
} from './backup-support.js';
import { runCli } from './cli-process.js';

/**
 * The restore drill, through the command line as an operator runs it: a store with a catalogue,
 * orders, an open cart and an uploaded file is backed up; its data then changes; damaged copies of
 * the backup are refused without changing anything; the backup is restored and every table of
 * every schema holds what it held at the backup, the uploads the same bytes.
 */
export async function restoreDrill(t: TestContext, kind: DrillKind): Promise<void> {
  const store = await drillStore(t, kind);
  const { id, dir } = store;
  let sku = '';
  let methodId = '';
  const atBackup = await withShop(store, async (shop) => {
    sku = await createProduct(store, shop, 2490);
    methodId = await standardShipping(store, shop);
    await placeOrder(store, shop, sku, 2, methodId);
    await placeOrder(store, shop, sku, 1, methodId);
    await openGuestCart(shop, sku);
  });
  assert.ok(Number(atBackup['orders.orders']!.split(':')[0]) >= 2, 'two orders were placed');
  mkdirSync(path.join(store.uploads, 'images', '.meta'), { recursive: true });
  writeFileSync(path.join(store.uploads, 'images', 'drill.webp'), randomBytes(64 * 1024));
  writeFileSync(
    path.join(store.uploads, 'images', '.meta', 'drill.webp.json'),
    '{"contentType":"image/webp"}',
  );
  const uploadsAtBackup = snapshot(store.uploads);

  const backup = await runCli(['backup', id, '--dir', dir]);
  assert.equal(backup.code, 0, backup.stderr);
  const backupId = backup.stdout.match(/^Backup (\S+) of store /m)?.[1];
  assert.ok(backupId, backup.stdout);
  assert.match(backup.stdout, /total \d+(\.\d)? [KM]?B in \d+\.\d s/);
  const backupDir = path.join(store.layout.backupsDir, id, backupId);
  const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
  assert.equal(manifest.database.kind, kind);
  assert.ok(manifest.migrations.orders?.length, 'the orders migrations are recorded');

  const beforeBackupDatabase = store.record().database;
  const afterChange = await withShop(store, async (shop) => {
    await placeOrder(store, shop, sku, 3, methodId);
    const catalogue = shop.database.schemaFor('catalogue');
    await sql`update ${sql.table(`${catalogue}.products`)} set name = name || ' (renamed)'`.execute(
      shop.database.db,
    );
    await sql`delete from ${sql.table(`${shop.database.schemaFor('cart')}.idempotency_keys`)}`.execute(
      shop.database.db,
    );
  });
  assert.notDeepEqual(afterChange, atBackup, 'the data changed after the backup');
  rmSync(path.join(store.uploads, 'images', 'drill.webp'));
  writeFileSync(path.join(store.uploads, 'later.txt'), 'after the backup');
  const uploadsAfterChange = snapshot(store.uploads);

  const databasePart = manifest.parts.find((p) => p.name === 'database')!;
  await refusesDamagedBackups(store, path.join(backupDir, databasePart.file), manifest, uploadsAfterChange);

  const restore = await runCli(['restore', id, backupId, '--dir', dir]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.match(restore.stdout, /No platform runs: it serves the restored data when started\./);
  const record = store.record();
  assert.notDeepEqual(record.database, beforeBackupDatabase, 'a new database');
  assert.deepEqual(record.pendingRestore?.previousDatabase, beforeBackupDatabase);
  assert.deepEqual(
    await fingerprintOf(store, record.database),
    atBackup,
    'every table as it was at the backup',
  );
  assert.deepEqual(snapshot(store.uploads), uploadsAtBackup, 'the uploads byte for byte');
  if (kind === 'postgres') {
    // Quick on PostgreSQL (the embedded equivalents are in the platform's backup tests).
    assert.deepEqual(
      await fingerprintOf(store, beforeBackupDatabase),
      afterChange,
      'the previous database is kept',
    );
    // The restored store serves: its app starts on the restored database and takes another order.
    await withShop(store, async (shop) => void (await placeOrder(store, shop, sku, 1, methodId)));
  }

  const [confirm, listed] = await Promise.all([
    runCli(['restore', id, '--confirm', '--dir', dir]),
    runCli(['backups', id, '--json', '--dir', dir]),
  ]);
  assert.equal(confirm.code, 0, confirm.stderr);
  assert.match(confirm.stdout, /^Restore of store .* confirmed; deleted the previous database/m);
  assert.equal(store.record().pendingRestore, undefined);
  await assertGone(store, beforeBackupDatabase);

  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    (JSON.parse(listed.stdout) as Array<{ id: string; databaseKind: string; complete: boolean }>).map((b) => [
      b.id,
      b.databaseKind,
      b.complete,
    ]),
    [[backupId, kind, true]],
  );
}

/** The previous database is gone: its directory, or its PostgreSQL database. */
async function assertGone(store: DrillStore, database: StoreDatabase): Promise<void> {
  if (database.kind === 'embedded') {
    assert.equal(existsSync(path.join(store.layout.storeDir(store.id), database.dir)), false);
    return;
  }
  const name = new URL(database.url).pathname.slice(1);
  assert.equal((await databasesOf(store.id)).includes(name), false, `${name} was dropped`);
}

/**
 * A flipped byte and a truncated database part are each refused in one line naming the part; the
 * record, the databases and the uploads stay as they are. (The platform's backup tests damage
 * backups in more ways.)
 */
async function refusesDamagedBackups(
  store: DrillStore,
  file: string,
  manifest: BackupManifest,
  uploads: Record<string, string>,
): Promise<void> {
  const database = manifest.parts.find((p) => p.name === 'database')!;
  const intact = readFileSync(file);
  const record = store.record();
  const databases = store.record().database.kind === 'postgres' ? await databasesOf(store.id) : [];
  // The processes' generated configuration (run/) aside, every file of the store: record, database, uploads.
  const storeFiles = () =>
    Object.fromEntries(
      Object.entries(snapshot(store.layout.storeDir(store.id))).filter(([f]) => !f.startsWith('run')),
    );
  const filesBefore = storeFiles();

  const damages: Array<[string, () => void, RegExp]> = [
    [
      'a flipped byte',
      () => {
        const bytes = Buffer.from(intact);
        bytes[Math.floor(bytes.length / 3)]! ^= 0x40;
        writeFileSync(file, bytes);
      },
      new RegExp(
        `part database \\(${database.file.replace('.', '\\.')}\\) does not match its SHA-256 checksum`,
      ),
    ],
    [
      'a truncated part',
      () => truncateSync(file, Math.floor(intact.length / 2)),
      new RegExp(`is ${Math.floor(intact.length / 2)} bytes, the manifest says ${intact.length}`),
    ],
  ];
  for (const [what, damage, message] of damages) {
    damage();
    const result = await runCli(['restore', store.id, manifest.id, '--dir', store.dir]);
    assert.equal(result.code, 1, `${what}: ${result.stdout}`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${what}: one line, got ${result.stderr}`);
    assert.match(lines[0]!, /^shopstack: /);
    assert.match(lines[0]!, message, what);
    assert.deepEqual(store.record(), record, `${what}: the record is untouched`);
    assert.deepEqual(snapshot(store.uploads), uploads, `${what}: the uploads are untouched`);
    assert.deepEqual(storeFiles(), filesBefore, `${what}: no file of the store changed, none was added`);
    if (record.database.kind === 'postgres')
      assert.deepEqual(await databasesOf(store.id), databases, `${what}: no new database`);
    writeFileSync(file, intact);
  }
}
