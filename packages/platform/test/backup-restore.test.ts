import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test, type TestContext } from 'node:test';
import {
  confirmRestore,
  listBackups,
  MANIFEST_FILE,
  restoreBackup,
  undoRestore,
  type BackupManifest,
  type NotifyPlatform,
} from '../src/backup/index.js';
import {
  backedUpStore,
  productRows,
  products,
  snapshot,
  testPlatform,
  withEmbedded,
  type BackedUpStore,
} from './backup-support.js';

// An embedded store of 50 products and two uploaded files, backed up once; each test works on a
// copy of that platform directory. No platform runs: its part, reopening the store, is a
// NotifyPlatform the tests record.

let template: BackedUpStore;
before(async () => {
  template = await backedUpStore();
});

function platform(t: TestContext) {
  const { layout, registry } = testPlatform(t, template.root);
  const storeDir = layout.storeDir('shop');
  return {
    layout,
    registry,
    storeDir,
    dataDir: path.join(storeDir, 'database'),
    uploads: path.join(storeDir, 'uploads'),
    restoredDir: path.join(storeDir, `database-${template.backupId.toLowerCase()}`),
  };
}

function recordingNotify(): { notify: NotifyPlatform; calls: string[] } {
  const calls: string[] = [];
  return { calls, notify: async (store, change) => (calls.push(`${change} ${store}`), false) };
}

test('a backup holds the database dump and the uploads, each with its size and SHA-256 in a manifest', async (t) => {
  const { layout, registry } = platform(t);
  const location = path.join(layout.backupsDir, 'shop', template.backupId);
  assert.match(template.backupId, /^\d{8}T\d{6}Z$/);
  assert.deepEqual(readdirSync(location).sort(), ['database.tar.gz', MANIFEST_FILE, 'uploads.tar.gz']);
  const manifest = JSON.parse(readFileSync(path.join(location, MANIFEST_FILE), 'utf8')) as BackupManifest;
  assert.equal(manifest.format, 1);
  assert.equal(manifest.id, template.backupId);
  assert.deepEqual(manifest.store, registry.get('shop'));
  assert.equal(manifest.database.kind, 'embedded');
  assert.equal(manifest.database.format, 'pglite-datadir-tar-gzip');
  assert.deepEqual(manifest.migrations, { catalogue: ['0001-catalogue', '0002-stock'] });
  assert.deepEqual(
    manifest.parts.map((p) => [p.name, p.file]),
    [
      ['database', 'database.tar.gz'],
      ['uploads', 'uploads.tar.gz'],
    ],
  );
  for (const part of manifest.parts) {
    assert.equal(part.bytes, readFileSync(path.join(location, part.file)).length, `${part.name} size`);
    assert.match(part.sha256, /^[0-9a-f]{64}$/);
  }
  assert.deepEqual(readdirSync(path.join(layout.backupsDir, '.work')), [], 'no work files left behind');

  const listed = await listBackups({ layout, store: 'shop' });
  assert.deepEqual(
    listed.map((b) => [b.id, b.complete, b.databaseKind, b.location]),
    [[template.backupId, true, 'embedded', `${location}${path.sep}`]],
  );
});

test('a restore brings back the rows and the uploads byte for byte, keeping the old database until confirmed', async (t) => {
  const { layout, registry, dataDir, uploads, restoredDir, storeDir } = platform(t);
  const rowsChanged = await withEmbedded(dataDir, async (client) => {
    await client.query('delete from catalogue.products where id <= 10');
    await client.query(`update catalogue.products set price = 1 where id = 20`);
    await client.query(`insert into catalogue.products values (100, 'Added', 5)`);
    return productRows(client);
  });
  rmSync(path.join(uploads, 'images', 'p1.webp'));
  writeFileSync(path.join(uploads, 'new.txt'), 'added after the backup');

  const { notify, calls } = recordingNotify();
  const restored = await restoreBackup({ layout, store: 'shop', backup: template.backupId, notify });
  assert.deepEqual(calls, ['reopen shop'], 'a running platform would reopen the store');
  const record = registry.get('shop');
  assert.deepEqual(record.database, { kind: 'embedded', dir: path.basename(restoredDir) });
  assert.deepEqual(restored.database, record.database);
  assert.deepEqual(record.pendingRestore?.previousDatabase, { kind: 'embedded', dir: 'database' });
  assert.deepEqual(record.domains, ['shop.example'], 'the store keeps its domains');

  assert.deepEqual(await products(restoredDir), template.rows);
  assert.deepEqual(snapshot(uploads), template.uploads, 'uploads as they were, byte for byte');
  assert.deepEqual(await products(dataDir), rowsChanged, 'the previous database is kept as it was');

  const deleted = await confirmRestore({ layout, store: 'shop' });
  assert.equal(deleted.length, 2, deleted.join('; '));
  assert.equal(existsSync(dataDir), false, 'confirm deletes the previous database');
  assert.equal(registry.get('shop').pendingRestore, undefined);
  assert.deepEqual(
    readdirSync(storeDir)
      .filter((name) => name !== 'run')
      .sort(),
    [path.basename(restoredDir), 'store.json', 'uploads'],
    'only the restored database and uploads remain',
  );
});

test('undoing a restore goes back to the previous database and uploads and deletes the restored ones', async (t) => {
  const { layout, registry, dataDir, uploads, restoredDir } = platform(t);
  const rowsLater = await withEmbedded(dataDir, async (client) => {
    await client.query('delete from catalogue.products where id > 40');
    return productRows(client);
  });
  writeFileSync(path.join(uploads, 'later.txt'), 'later');
  const uploadsLater = snapshot(uploads);
  const recordBefore = registry.get('shop');

  await restoreBackup({ layout, store: 'shop', backup: 'latest', notify: recordingNotify().notify });
  assert.ok(existsSync(restoredDir));
  const { notify, calls } = recordingNotify();
  await undoRestore({ layout, store: 'shop', notify });

  assert.deepEqual(calls, ['reopen shop']);
  assert.deepEqual(registry.get('shop'), recordBefore);
  assert.deepEqual(await products(dataDir), rowsLater);
  assert.deepEqual(snapshot(uploads), uploadsLater);
  assert.equal(existsSync(restoredDir), false, 'the restored database is deleted');
  await assert.rejects(confirmRestore({ layout, store: 'shop' }), /no restore waiting/);
});

test('a second restore before the first is confirmed or undone is refused and changes nothing', async (t) => {
  const { layout, registry, storeDir } = platform(t);
  const { notify } = recordingNotify();
  await restoreBackup({ layout, store: 'shop', backup: template.backupId, notify });
  const record = registry.get('shop');
  const files = snapshot(storeDir, (name) => name.startsWith('run'));
  await assert.rejects(
    restoreBackup({ layout, store: 'shop', backup: template.backupId, notify }),
    /has a restore of backup .* not yet confirmed/,
  );
  assert.deepEqual(registry.get('shop'), record);
  assert.deepEqual(
    snapshot(storeDir, (name) => name.startsWith('run')),
    files,
  );
});

test('restore --as makes a new store of the backup: same data and settings, its own id, no domains', async (t) => {
  const { layout, registry } = platform(t);
  const original = registry.get('shop');
  const { notify, calls } = recordingNotify();
  const restored = await restoreBackup({
    layout,
    store: 'shop',
    backup: template.backupId,
    as: 'shop-copy',
    notify,
  });

  assert.deepEqual(calls, ['sync shop-copy'], 'a running platform would start the new store');
  assert.equal(restored.newStore, true);
  const copy = registry.get('shop-copy');
  assert.deepEqual(copy.domains, []);
  assert.deepEqual(copy.database, { kind: 'embedded', dir: 'database' });
  assert.deepEqual(
    { ...copy, id: original.id, domains: original.domains, createdAt: original.createdAt },
    original,
    'everything else as the backup had it',
  );
  assert.equal(copy.pendingRestore, undefined);
  assert.deepEqual(await products(path.join(layout.storeDir('shop-copy'), 'database')), template.rows);
  assert.deepEqual(snapshot(path.join(layout.storeDir('shop-copy'), 'uploads')), template.uploads);
  assert.deepEqual(registry.get('shop'), original, 'the original store is untouched');

  await assert.rejects(
    restoreBackup({ layout, store: 'shop', backup: template.backupId, as: 'shop-copy', notify }),
    /A store "shop-copy" exists already/,
  );
  await assert.rejects(
    restoreBackup({ layout, store: 'shop', backup: template.backupId, as: 'Bad Id', notify }),
    /--as Bad Id is not a store id/,
  );
});

test('a removed store is restored from its final backup as a new store of the same id', async (t) => {
  const { layout, registry } = platform(t);
  const original = registry.get('shop');
  await registry.remove('shop');
  const { notify } = recordingNotify();
  await assert.rejects(
    restoreBackup({ layout, store: 'shop', backup: 'latest', notify }),
    /Store shop does not exist \(any more\): restore it as a new store with --as/,
  );
  await restoreBackup({ layout, store: 'shop', backup: 'latest', as: 'shop', notify });
  assert.deepEqual(
    { ...registry.get('shop'), domains: original.domains, createdAt: original.createdAt },
    original,
  );
  assert.deepEqual(await products(path.join(layout.storeDir('shop'), 'database')), template.rows);
});

test('a backup given by its directory, copied elsewhere, restores; into another store only with --as', async (t) => {
  const { layout, registry, restoredDir } = platform(t);
  const elsewhere = path.join(layout.root, 'usb-stick', 'shop', template.backupId);
  cpSync(path.join(layout.backupsDir, 'shop', template.backupId), elsewhere, { recursive: true });
  await registry.create({ id: 'other', name: 'Other', domains: [], currency: 'EUR' });
  const { notify } = recordingNotify();
  await assert.rejects(
    restoreBackup({ layout, store: 'other', backup: elsewhere, notify }),
    /Backup \S+ is of store shop, not other: restore it as a new store with --as <id>/,
  );
  await restoreBackup({ layout, store: 'shop', backup: elsewhere, notify });
  assert.deepEqual(await products(restoredDir), template.rows);
});
