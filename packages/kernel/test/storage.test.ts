import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig, objectStorageKind, type ConfigOverrides } from '../src/config.js';
import {
  createObjectStorage,
  InvalidObjectKey,
  LocalObjectStorage,
  localStorageDir,
  S3ObjectStorage,
  type ObjectStorage,
} from '../src/storage/index.js';
import { startS3Server, type TestS3Server } from './support/index.js';

async function listed(storage: ObjectStorage, prefix: string) {
  const out: Array<{ key: string; size: number }> = [];
  for await (const entry of storage.list(prefix)) out.push(entry);
  return out;
}

async function bytesOf(storage: ObjectStorage, key: string): Promise<Buffer | null> {
  const object = await storage.get(key);
  return object ? buffer(object.body) : null;
}

/** A stream of the bytes in chunks of odd sizes, as a network or a file would hand them over. */
function chunked(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 40_000 || 1)
    chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

/** A stream that hands over some bytes, then fails, as a dropped upload does. */
function failing(afterBytes: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) {
        this.destroy(new Error('the client went away'));
        return;
      }
      sent = true;
      this.push(Buffer.alloc(afterBytes, 7));
    },
  });
}

const pattern = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + 7) % 256));

/** The behaviour every object storage shares, run against each implementation. */
function storageBehaviour(open: () => ObjectStorage) {
  let storage: ObjectStorage;
  before(() => {
    storage = open();
  });
  after(() => storage.close());

  test('bytes put under a key come back the same, with their size and content type', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13, 0]);
    await storage.put('images/round-trip.bin', bytes, { contentType: 'application/octet-stream' });
    const object = await storage.get('images/round-trip.bin');
    assert.ok(object);
    assert.equal(object.size, bytes.length);
    assert.equal(object.contentType, 'application/octet-stream');
    assert.deepEqual(await buffer(object.body), bytes);
    assert.deepEqual(await storage.head('images/round-trip.bin'), {
      size: bytes.length,
      contentType: 'application/octet-stream',
    });
  });

  test('a stream is stored whole, however it is cut into chunks', async () => {
    const bytes = pattern(300_000);
    await storage.put('streams/large.bin', chunked(bytes));
    assert.deepEqual(await bytesOf(storage, 'streams/large.bin'), bytes);
    assert.equal((await storage.head('streams/large.bin'))?.size, bytes.length);
    await storage.put('streams/empty.bin', Readable.from([]));
    assert.deepEqual(await bytesOf(storage, 'streams/empty.bin'), Buffer.alloc(0));
  });

  test('a put replaces the object, and a failed put leaves the old one as it was', async () => {
    await storage.put('replace/me.txt', Buffer.from('first'), { contentType: 'text/plain' });
    await storage.put('replace/me.txt', Buffer.from('second, longer'), { contentType: 'text/plain' });
    assert.equal((await bytesOf(storage, 'replace/me.txt'))?.toString(), 'second, longer');
    for (const size of [1000, 200_000]) {
      await assert.rejects(storage.put('replace/me.txt', failing(size)), /went away/);
      assert.equal((await bytesOf(storage, 'replace/me.txt'))?.toString(), 'second, longer');
    }
    await assert.rejects(storage.put('replace/never.txt', failing(1000)), /went away/);
    assert.equal(await storage.head('replace/never.txt'), null);
  });

  test('listing by prefix gives the keys that start with it, in key order, with their sizes', async () => {
    await storage.put('list/b/2.txt', Buffer.from('22'));
    await storage.put('list/a/1.txt', Buffer.from('1'));
    await storage.put('list/a/3.txt', Buffer.from('333'));
    await storage.put('list/ab/4.txt', Buffer.from('4444'));
    await storage.put('list-other/5.txt', Buffer.from('5'));
    assert.deepEqual(await listed(storage, 'list/a/'), [
      { key: 'list/a/1.txt', size: 1 },
      { key: 'list/a/3.txt', size: 3 },
    ]);
    assert.deepEqual(
      (await listed(storage, 'list/a')).map((o) => o.key),
      ['list/a/1.txt', 'list/a/3.txt', 'list/ab/4.txt'],
    );
    assert.deepEqual(
      (await listed(storage, 'list/')).map((o) => o.key),
      ['list/a/1.txt', 'list/a/3.txt', 'list/ab/4.txt', 'list/b/2.txt'],
    );
    assert.deepEqual(await listed(storage, 'list/nothing-here/'), []);
    const all = (await listed(storage, '')).map((o) => o.key);
    assert.ok(all.includes('list-other/5.txt') && all.includes('list/b/2.txt'), all.join(', '));
  });

  test('a deleted object is gone from get, head and listings; deleting it again does nothing', async () => {
    await storage.put('delete/me.txt', Buffer.from('bye'), { contentType: 'text/plain' });
    await storage.delete('delete/me.txt');
    assert.equal(await storage.get('delete/me.txt'), null);
    assert.equal(await storage.head('delete/me.txt'), null);
    assert.deepEqual(await listed(storage, 'delete/'), []);
    await storage.delete('delete/me.txt');
  });

  test('a key that was never put reads as null', async () => {
    assert.equal(await storage.get('missing/nothing.txt'), null);
    assert.equal(await storage.head('missing/nothing.txt'), null);
    assert.equal(await storage.get('nothing'), null);
  });

  test('keys that could leave the area or mean something else are refused before anything is touched', async () => {
    const refused = ['../escape.txt', 'a/../../escape.txt', '..', '/etc/passwd', '', 'a//b', 'a/', '.hidden'];
    refused.push('a/./b', 'sp ace', 'back\\slash', 'new\nline', 'x'.repeat(1025));
    for (const key of refused) {
      await assert.rejects(storage.put(key, Buffer.from('x')), InvalidObjectKey, JSON.stringify(key));
      await assert.rejects(storage.get(key), InvalidObjectKey, JSON.stringify(key));
      await assert.rejects(storage.head(key), InvalidObjectKey, JSON.stringify(key));
      await assert.rejects(storage.delete(key), InvalidObjectKey, JSON.stringify(key));
    }
    await assert.rejects(listed(storage, '../'), InvalidObjectKey);
    await assert.rejects(listed(storage, '/abs'), InvalidObjectKey);
  });
}

describe('local object storage', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'shopstack-storage-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  storageBehaviour(() => new LocalObjectStorage(path.join(root, 'suite')));

  test('no temporary file is left behind, whether a put succeeds or fails', async () => {
    const storage = new LocalObjectStorage(path.join(root, 'temporaries'));
    await storage.put('kept.bin', chunked(pattern(50_000)));
    await assert.rejects(storage.put('dropped.bin', failing(5000)));
    assert.deepEqual(readdirSync(path.join(root, 'temporaries', '.partial')), []);
    assert.deepEqual(
      (await listed(storage, '')).map((o) => o.key),
      ['kept.bin'],
    );
  });
});

describe('S3 object storage (s3rver)', () => {
  let s3: TestS3Server;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());

  // Small parts, so that streams of a few hundred kilobytes go up as multipart uploads.
  storageBehaviour(
    () =>
      new S3ObjectStorage({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        prefix: 'suite',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        partSize: 64 * 1024,
      }),
  );

  test('the S3_* variables select S3 storage; each area keeps its keys under <prefix>/<area>/', async () => {
    const config = loadConfig({
      env: {
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_PREFIX: 'shop-a',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      },
      cwd: tmpdir(),
    });
    assert.equal(objectStorageKind(config), 's3');
    const images = createObjectStorage(config, 'images');
    const backups = createObjectStorage(config, 'backups');
    const whole = new S3ObjectStorage({ ...s3Options(s3), prefix: '' });
    try {
      assert.equal(images.kind, 's3');
      await images.put('photo.webp', Buffer.from('image bytes'), { contentType: 'image/webp' });
      await backups.put('photo.webp', Buffer.from('backup bytes'));
      assert.equal((await bytesOf(images, 'photo.webp'))?.toString(), 'image bytes');
      assert.equal((await bytesOf(backups, 'photo.webp'))?.toString(), 'backup bytes');
      assert.deepEqual(
        (await listed(whole, 'shop-a/')).map((o) => o.key),
        ['shop-a/backups/photo.webp', 'shop-a/images/photo.webp'],
      );
    } finally {
      await Promise.all([images.close(), backups.close(), whole.close()]);
    }
  });
});

function s3Options(s3: TestS3Server) {
  return {
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
}

describe('object storage configuration', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const workdir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-storage-config-'));
    dirs.push(dir);
    return dir;
  };
  const load = (env: Record<string, string>, overrides?: ConfigOverrides) =>
    loadConfig({ env, cwd: workdir(), ...(overrides ? { overrides } : {}) });

  test('without settings, files go to uploads/<area> in the store data directory', async () => {
    const config = load({ SHOPSTACK_DATA_DIR: '/srv/shop', SHOPSTACK_STORE_ID: 'corner' });
    assert.equal(objectStorageKind(config), 'local');
    assert.equal(localStorageDir(config), '/srv/shop/corner/uploads');
    const storage = createObjectStorage(config, 'images');
    assert.ok(storage instanceof LocalObjectStorage);
    assert.equal(storage.root, '/srv/shop/corner/uploads/images');
    assert.equal(localStorageDir(load({ SHOPSTACK_STORAGE_DIR: '/mnt/files' })), '/mnt/files');
  });

  test('S3 credentials are taken from the environment and refused from a configuration file', () => {
    const cwd = workdir();
    const file = path.join(cwd, 'shop.json');
    for (const key of ['accessKeyId', 'secretAccessKey']) {
      const content = { storage: { s3: { bucket: 'shop-files', [key]: 'from-a-file' } } };
      writeFileSync(file, JSON.stringify(content));
      assert.throws(
        () => loadConfig({ env: { SHOPSTACK_CONFIG: file }, cwd }),
        (err: unknown) => err instanceof ConfigError && err.key === `storage.s3.${key}`,
      );
    }
    const config = load({ S3_BUCKET: 'shop-files', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' });
    assert.deepEqual([config.storage.s3?.accessKeyId, config.storage.s3?.secretAccessKey], ['id', 'secret']);
  });

  test('settings that cannot work stop loading with a message naming the key', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ SHOPSTACK_STORAGE: 's3' }, 'storage.s3.bucket'],
      [{ SHOPSTACK_STORAGE: 'ftp' }, 'storage.kind'],
      [{ S3_BUCKET: 'Not_A_Bucket' }, 'storage.s3.bucket'],
      [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, 'storage.s3.bucket'],
      [{ S3_BUCKET: 'shop-files', S3_ENDPOINT: 'ftp://files' }, 'storage.s3.endpoint'],
      [{ S3_BUCKET: 'shop-files', S3_PREFIX: '../up' }, 'storage.s3.prefix'],
      [{ S3_BUCKET: 'shop-files', S3_ACCESS_KEY_ID: 'id' }, 'storage.s3.secretAccessKey'],
    ];
    for (const [env, key] of cases) {
      assert.throws(
        () => load(env),
        (err: unknown) => err instanceof ConfigError && err.key === key,
        `${JSON.stringify(env)} should be refused naming ${key}`,
      );
    }
  });
});
