import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { createObjectStorage, loadConfig } from '@shopstack/kernel';
import { startS3Server, type TestS3Server } from '@shopstack/kernel/testing';
import {
  BackupScheduler,
  createBackup,
  listBackups,
  pruneBackups,
  restoreBackup,
  UnusableBackup,
} from '../src/backup/index.js';
import type { BackupPolicy } from '../src/store-record.js';
import { backedUpStore, products, testPlatform, withEmbedded, type BackedUpStore } from './backup-support.js';

// Backups in an S3-compatible bucket (s3rver on a port of its own), found through the S3_*
// variables as the command line finds them, with a key prefix per test.

let template: BackedUpStore;
let s3: TestS3Server;
before(async () => {
  [template, s3] = await Promise.all([backedUpStore(), startS3Server()]);
});
after(() => s3?.close());

let prefixes = 0;
function platform(t: TestContext, policy: Partial<BackupPolicy> = {}) {
  const { layout, registry } = testPlatform(t, template.root);
  registry.update('shop', (r) => ({ ...r, backup: { ...r.backup, target: 's3', ...policy } }));
  const env = {
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: 'us-east-1',
    S3_PREFIX: `test-${process.pid}-${++prefixes}`,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  };
  return { layout, registry, env };
}

const day = (date: string) => () => new Date(`${date}T06:15:00Z`);

test('backups to S3 are listed with their s3:// location, pruned by the policy and restored from there', async (t) => {
  const { layout, registry, env } = platform(t, { keepDaily: 1, keepWeekly: 0 });
  const ids: string[] = [];
  for (const date of ['2026-11-29', '2026-11-30']) {
    ids.push((await createBackup({ layout, store: 'shop', env, now: day(date) })).id);
  }
  const listed = await listBackups({ layout, store: 'shop', env });
  assert.deepEqual(
    listed.map((b) => [b.id, b.target, b.complete, b.databaseKind]),
    ids.map((id) => [id, 's3', true, 'embedded']),
  );
  assert.equal(listed[0]!.location, `s3://${s3.bucket}/${env.S3_PREFIX}/backups/shop/${ids[0]}/`);
  assert.deepEqual(
    await listBackups({ layout, store: 'shop', target: 'local' }).then((l) => l.length),
    1,
    'the local one only',
  );

  assert.deepEqual(await pruneBackups({ layout, store: 'shop', env }), { deleted: [ids[0]], kept: 1 });
  assert.deepEqual(
    (await listBackups({ layout, store: 'shop', env })).map((b) => b.id),
    ids.slice(1),
  );

  const dataDir = `${layout.storeDir('shop')}/database`;
  await withEmbedded(dataDir, (client) => client.query('delete from catalogue.products'));
  const restored = await restoreBackup({
    layout,
    store: 'shop',
    backup: 'latest',
    env,
    notify: async () => false,
  });
  assert.equal(restored.backup, ids[1]);
  const record = registry.get('shop');
  assert.equal(record.database.kind, 'embedded');
  assert.deepEqual(
    await products(
      `${layout.storeDir('shop')}/${record.database.kind === 'embedded' ? record.database.dir : ''}`,
    ),
    template.rows,
  );
});

test('a truncated part in the bucket is refused before anything changes', async (t) => {
  const { layout, registry, env } = platform(t);
  const { id, parts } = await createBackup({ layout, store: 'shop', env });
  const config = loadConfig({
    env: {},
    overrides: { storage: { kind: 's3', s3: { ...s3.storageConfig(env.S3_PREFIX).s3! } } },
  });
  const bucket = createObjectStorage(config, 'backups');
  t.after(() => bucket.close());
  await bucket.put(`shop/${id}/uploads.tar.gz`, Buffer.from('short'));
  const record = registry.get('shop');
  await assert.rejects(
    restoreBackup({ layout, store: 'shop', backup: id, env, notify: async () => true }),
    (err: Error) =>
      err instanceof UnusableBackup &&
      err.message ===
        `Backup ${id}: part uploads (uploads.tar.gz) is 5 bytes, the manifest says ${parts[1]!.bytes}: it is truncated or damaged.`,
  );
  assert.deepEqual(registry.get('shop'), record);
});

test('without a bucket an S3 backup is refused, saying which variables name one', async (t) => {
  const { layout } = platform(t);
  await assert.rejects(
    createBackup({ layout, store: 'shop', env: {} }),
    /No S3 bucket for the backups of store shop: set S3_BUCKET/,
  );
});

test('the scheduler backs a store up to its bucket at its time and prunes what its policy no longer keeps', async (t) => {
  const { layout, env } = platform(t, { at: '06:15', keepDaily: 1, keepWeekly: 0 });
  const old = await createBackup({ layout, store: 'shop', env, now: day('2026-01-10') });
  const failures: string[] = [];
  // A clock far ahead of every backup's: the store is due however the machine's clock reads.
  const scheduler = new BackupScheduler({ layout, env, now: () => new Date('2099-06-01T06:20:00Z') });
  scheduler.start({ failed: (store, err) => failures.push(`${store}: ${err.message}`) });
  t.after(() => scheduler.stop());
  await scheduler.tick();
  await scheduler.tick();
  assert.deepEqual(failures, []);
  const listed = await listBackups({ layout, store: 'shop', env });
  assert.equal(listed.length, 1, 'one backup taken, the old one pruned');
  assert.notEqual(listed[0]!.id, old.id);
});
