import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { InvalidState } from '@shopstack/kernel';
import { restoreBackup, UnusableBackup, type BackupManifest } from '../src/backup/index.js';
import { backedUpStore, snapshot, testPlatform, type BackedUpStore } from './backup-support.js';

// A backup that is damaged in any way is refused before anything changes: the store's record, its
// database directory and its uploads stay byte for byte as they were, and no new directory appears.

let template: BackedUpStore;
before(async () => {
  template = await backedUpStore();
});

/**
 * Damages a copy of the backup with `damage`, tries to restore it and checks the refusal: one line
 * matching `message` (an UnusableBackup unless said), and the store's directory (the processes'
 * generated config aside) and the backups unchanged.
 */
async function refused(
  t: TestContext,
  damage: (backupDir: string) => void,
  message: RegExp,
  expect: { unusable: boolean } = { unusable: true },
): Promise<void> {
  const { layout } = testPlatform(t, template.root);
  damage(path.join(layout.backupsDir, 'shop', template.backupId));
  const storeDir = layout.storeDir('shop');
  const skipGenerated = (name: string) => name === 'run' || name.startsWith(`run${path.sep}`);
  const before = snapshot(storeDir, skipGenerated);
  const backupsBefore = snapshot(layout.backupsDir);
  let notified = false;
  const error = await restoreBackup({
    layout,
    store: 'shop',
    backup: template.backupId,
    notify: async () => (notified = true),
  }).then(
    () => assert.fail('the damaged backup was restored'),
    (err: Error) => err,
  );
  if (expect.unusable)
    assert.ok(
      error instanceof UnusableBackup && error instanceof InvalidState,
      `${error.name}: ${error.message}`,
    );
  assert.match(error.message, message);
  assert.equal(error.message.split('\n').length, 1, 'one line');
  assert.deepEqual(snapshot(storeDir, skipGenerated), before, 'record, database and uploads untouched');
  assert.deepEqual(
    snapshot(layout.backupsDir),
    backupsBefore,
    'the backup is left as found, no work files remain',
  );
  assert.equal(notified, false, 'the platform was not asked to reopen anything');
}

const manifestOf = (dir: string) => path.join(dir, 'manifest.json');

test('a backup whose database part has a flipped byte is refused by its checksum and changes nothing', async (t) => {
  await refused(
    t,
    (dir) => {
      const file = path.join(dir, 'database.tar.gz');
      const bytes = readFileSync(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      writeFileSync(file, bytes);
    },
    /part database \(database\.tar\.gz\) does not match its SHA-256 checksum: it is corrupt/,
  );
});

test('a backup whose database part is truncated is refused by its size and changes nothing', async (t) => {
  await refused(
    t,
    (dir) => truncateSync(path.join(dir, 'database.tar.gz'), 1000),
    /part database \(database\.tar\.gz\) is 1000 bytes, the manifest says \d+: it is truncated or damaged/,
  );
});

test('a backup missing its uploads part is refused naming the part and changes nothing', async (t) => {
  await refused(
    t,
    (dir) => rmSync(path.join(dir, 'uploads.tar.gz')),
    /part uploads \(uploads\.tar\.gz\) is missing/,
  );
});

test('a backup without its manifest is refused as incomplete and changes nothing', async (t) => {
  await refused(
    t,
    (dir) => rmSync(manifestOf(dir)),
    /has no manifest\.json at .*: it is missing or did not finish/,
  );
});

test('a backup whose manifest is not JSON, or not a valid manifest, is refused and changes nothing', async (t) => {
  await refused(
    t,
    (dir) => writeFileSync(manifestOf(dir), '{"format": 1, "id": '),
    /manifest\.json is not valid JSON/,
  );
  await refused(
    t,
    (dir) => {
      const manifest = JSON.parse(readFileSync(manifestOf(dir), 'utf8')) as BackupManifest;
      manifest.parts[1]!.sha256 = 'not-a-checksum';
      writeFileSync(manifestOf(dir), JSON.stringify(manifest));
    },
    /manifest\.json is invalid: parts\.1\.sha256/,
  );
  await refused(
    t,
    (dir) => {
      const manifest = JSON.parse(readFileSync(manifestOf(dir), 'utf8')) as BackupManifest;
      writeFileSync(manifestOf(dir), JSON.stringify({ ...manifest, format: 7 }));
    },
    /is of format 7; this ShopStack reads format 1/,
  );
});

test('a backup whose manifest lists a part twice instead of the uploads is refused and changes nothing', async (t) => {
  await refused(
    t,
    (dir) => {
      const manifest = JSON.parse(readFileSync(manifestOf(dir), 'utf8')) as BackupManifest;
      writeFileSync(
        manifestOf(dir),
        JSON.stringify({ ...manifest, parts: [manifest.parts[0], manifest.parts[0]] }),
      );
    },
    /must list one database and one uploads part/,
  );
});

test('an uploads part that is no tarball (its checksum matching) is refused and changes nothing', async (t) => {
  await refused(
    t,
    (dir) => replacePart(dir, 'uploads', Buffer.from('this is not a gzip tarball')),
    /Backup \d{8}T\d{6}Z: part uploads \(uploads\.tar\.gz\) could not be unpacked: .*Unrecognized archive format/,
  );
});

test('a database part that is no data directory (its checksum matching) fails the restore, which takes back every step', async (t) => {
  // A good tarball, of the uploads: the uploads are unpacked, then the database restore fails.
  await refused(
    t,
    (dir) => replacePart(dir, 'database', readFileSync(path.join(dir, 'uploads.tar.gz'))),
    /^The database of backup \d{8}T\d{6}Z could not be restored: PGlite failed to initialize/,
    { unusable: false },
  );
});

/** Puts other bytes in a part, with a manifest that vouches for them. */
function replacePart(dir: string, name: 'database' | 'uploads', bytes: Buffer): void {
  const manifest = JSON.parse(readFileSync(manifestOf(dir), 'utf8')) as BackupManifest;
  const index = manifest.parts.findIndex((p) => p.name === name);
  const part = manifest.parts[index]!;
  writeFileSync(path.join(dir, part.file), bytes);
  manifest.parts[index] = {
    ...part,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  writeFileSync(manifestOf(dir), JSON.stringify(manifest));
}
