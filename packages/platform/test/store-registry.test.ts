import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
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
import { test, type TestContext } from 'node:test';
import { Conflict, defaultConfig, InvalidInput, loadConfig, NotFound } from '@shopstack/kernel';
import pg from 'pg';
import { PlatformLayout } from '../src/layout.js';
import type { StoreRecord } from '../src/store-record.js';
import {
  databaseUrl,
  dropDatabase,
  StoreRegistry,
  storeDatabaseName,
  type CreateStoreInput,
} from '../src/store-registry.js';

const POSTGRES_SERVER =
  process.env.SHOPSTACK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A registry on a platform directory of its own, removed after the test. */
function registry(t: TestContext): StoreRegistry {
  const root = mkdtempSync(path.join(tmpdir(), 'shopstack-registry-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return new StoreRegistry(new PlatformLayout(root));
}

function input(id: string, extra: Partial<CreateStoreInput> = {}): CreateStoreInput {
  return { id, name: `Store ${id}`, domains: [], currency: 'EUR', ...extra };
}

/** Every file under a directory with its content: what "nothing changed" compares. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  if (!existsSync(root)) return files;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        files[`${path.relative(root, full)}/`] = '';
        walk(full);
      } else files[path.relative(root, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

async function rejectsWith<E extends Error>(
  work: () => Promise<unknown> | unknown,
  kind: new (...args: never[]) => E,
  message?: RegExp,
): Promise<E> {
  let caught: unknown;
  try {
    await work();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof kind, `expected ${kind.name}, got ${String(caught)}`);
  if (message) assert.match(caught.message, message);
  return caught;
}

test('a created store is saved with its defaults and is found by list, get, has and its domains', async (t) => {
  const stores = registry(t);
  const before = Date.now();
  const created = await stores.create(
    input('shop-b', { name: 'Shop B', domains: ['Shop-B.example', 'shop-b.example', 'www.shop-b.example'] }),
  );
  await stores.create(input('shop-a', { currency: 'GBP', services: ['users', 'catalogue'], workers: 3 }));

  assert.equal(created.id, 'shop-b');
  assert.equal(created.name, 'Shop B');
  assert.deepEqual(created.domains, ['shop-b.example', 'www.shop-b.example'], 'lower-cased, each once');
  assert.equal(created.currency, 'EUR');
  assert.equal(created.enabled, true);
  assert.deepEqual(created.services, defaultConfig.services);
  assert.equal(created.workers, undefined, 'no count: the platform default');
  assert.deepEqual(created.database, { kind: 'embedded', dir: 'database' });
  assert.deepEqual(created.backup, { target: 'local', keepDaily: 7, keepWeekly: 4 });
  assert.deepEqual(created.settings, {});
  assert.ok(Date.parse(created.createdAt) >= before - 1000);

  const file = stores.layout.storeFile('shop-b');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), created);
  assert.ok(statSync(path.join(stores.layout.storeDir('shop-b'), 'uploads')).isDirectory());

  assert.deepEqual(
    stores.list().map((s) => s.id),
    ['shop-a', 'shop-b'],
  );
  assert.deepEqual(stores.get('shop-b'), created);
  const a = stores.get('shop-a');
  assert.equal(a.currency, 'GBP');
  assert.equal(a.workers, 3);
  assert.deepEqual(a.services, ['users', 'catalogue']);
  assert.equal(stores.has('shop-a'), true);
  assert.equal(stores.has('shop-c'), false);
  assert.equal(stores.findByDomain('www.shop-b.example')?.id, 'shop-b');
  assert.equal(stores.findByDomain('shop-a.example'), undefined);
});

test('a platform directory without stores lists none, and an unknown or non-slug id is NotFound', async (t) => {
  const stores = registry(t);
  assert.deepEqual(stores.list(), []);
  for (const id of ['shop-x', '../x', '..', 'SHOP-A', '']) {
    await rejectsWith(() => stores.get(id), NotFound, /No store/);
  }
  await stores.create(input('shop-a'));
  // A directory under stores/ without a store.json is not a store.
  mkdirSync(path.join(stores.layout.storesDir, 'leftover'));
  assert.deepEqual(
    stores.list().map((s) => s.id),
    ['shop-a'],
  );
});

test('creating a store whose id exists is a Conflict and changes nothing', async (t) => {
  const stores = registry(t);
  await stores.create(input('shop-a', { domains: ['a.example'] }));
  const before = snapshot(stores.layout.root);
  await rejectsWith(
    () => stores.create(input('shop-a', { name: 'Another', currency: 'USD' })),
    Conflict,
    /"shop-a" exists/,
  );
  assert.deepEqual(snapshot(stores.layout.root), before);
});

test('creating a store with a domain another store has is a Conflict naming both, and writes nothing', async (t) => {
  const stores = registry(t);
  await stores.create(input('shop-a', { domains: ['a.example', 'shop.example'] }));
  const before = snapshot(stores.layout.root);
  const conflict = await rejectsWith(
    () => stores.create(input('shop-b', { domains: ['b.example', 'SHOP.example'] })),
    Conflict,
    /shop\.example/,
  );
  assert.match(conflict.message, /"shop-a"/);
  assert.deepEqual(snapshot(stores.layout.root), before);
  assert.equal(stores.has('shop-b'), false);
});

test('an invalid id, name, currency, domain, worker count or service name is InvalidInput and writes nothing', async (t) => {
  const stores = registry(t);
  const cases: Array<[Partial<CreateStoreInput> & { id?: string }, string]> = [
    [{ id: 'BAD_ID' }, 'id'],
    [{ id: '../escape' }, 'id'],
    [{ id: '-shop' }, 'id'],
    [{ id: '' }, 'id'],
    [{ id: 'a'.repeat(41) }, 'id'],
    [{ name: '' }, 'name'],
    [{ currency: 'eur' }, 'currency'],
    [{ currency: 'EURO' }, 'currency'],
    [{ currency: '' }, 'currency'],
    [{ domains: ['shop.example:8080'] }, 'domains.0'],
    [{ domains: ['ok.example', 'https://shop.example'] }, 'domains.1'],
    [{ domains: ['-bad.example'] }, 'domains.0'],
    [{ domains: [''] }, 'domains.0'],
    [{ domains: ['shop_a.example'] }, 'domains.0'],
    [{ workers: 0 }, 'workers'],
    [{ workers: 1.5 }, 'workers'],
    [{ services: [] }, 'services'],
    [{ services: ['Catalogue'] }, 'services.0'],
  ];
  for (const [change, field] of cases) {
    const error = await rejectsWith(
      () => stores.create({ ...input('shop-a'), ...change }),
      InvalidInput,
      new RegExp(`^Invalid store: ${field.replace('.', '\\.')}: `),
    );
    assert.equal(error.field, field, JSON.stringify(change));
  }
  assert.equal(existsSync(stores.layout.storesDir), false, 'no store directory was made');
  assert.deepEqual(stores.list(), []);
});

test('an invalid store is refused before a PostgreSQL database is made for it', async (t) => {
  const stores = registry(t);
  const id = `BAD-${process.pid}`;
  await rejectsWith(() => stores.create(input(id, { postgresServer: POSTGRES_SERVER })), InvalidInput, /id/);
  assert.equal(await databaseExists(storeDatabaseName(id)), false);
  assert.equal(await databaseExists(storeDatabaseName(id.toLowerCase())), false);
});

test('a store.json that is not JSON, or not a valid store, is a clear InvalidInput naming the file', async (t) => {
  const stores = registry(t);
  await stores.create(input('shop-a'));
  await stores.create(input('shop-b'));
  const file = stores.layout.storeFile('shop-b');

  writeFileSync(file, '{"id": "shop-b", ');
  const notJson = await rejectsWith(() => stores.get('shop-b'), InvalidInput);
  assert.ok(notJson.message.startsWith(`${file} is not valid JSON: `), notJson.message);
  await rejectsWith(() => stores.list(), InvalidInput, /store\.json is not valid JSON/);
  assert.deepEqual(stores.get('shop-a').id, 'shop-a', 'the other store still reads');

  const record = JSON.parse(readFileSync(stores.layout.storeFile('shop-a'), 'utf8')) as StoreRecord;
  writeFileSync(file, JSON.stringify({ ...record, id: 'shop-b', currency: 'eur' }));
  const invalid = await rejectsWith(() => stores.get('shop-b'), InvalidInput);
  assert.equal(invalid.message, `${file} is not a valid store: currency: an ISO 4217 code such as EUR`);

  writeFileSync(file, JSON.stringify({ ...record, id: 'shop-b', extra: true }));
  await rejectsWith(() => stores.get('shop-b'), InvalidInput, /is not a valid store: extra/);
});

test('a store.json naming another id than its directory is refused as broken', async (t) => {
  const stores = registry(t);
  await stores.create(input('shop-a'));
  mkdirSync(stores.layout.storeDir('shop-b'));
  writeFileSync(stores.layout.storeFile('shop-b'), readFileSync(stores.layout.storeFile('shop-a')));
  await rejectsWith(() => stores.get('shop-b'), InvalidInput, /shop-b/);
});

test('update saves the changed record: disabling a store shows in get and list', async (t) => {
  const stores = registry(t);
  await stores.create(input('shop-a'));
  await stores.create(input('shop-b'));
  const disabled = stores.update('shop-a', (record) => ({ ...record, enabled: false }));
  assert.equal(disabled.enabled, false);
  assert.equal(stores.get('shop-a').enabled, false);
  assert.deepEqual(
    stores.list().map((s) => [s.id, s.enabled]),
    [
      ['shop-a', false],
      ['shop-b', true],
    ],
  );
  assert.equal(JSON.parse(readFileSync(stores.layout.storeFile('shop-a'), 'utf8')).enabled, false);

  stores.update('shop-a', (record) => ({ ...record, enabled: true, name: 'Shop A renamed', workers: 2 }));
  const enabled = stores.get('shop-a');
  assert.equal(enabled.enabled, true);
  assert.equal(enabled.name, 'Shop A renamed');
  assert.equal(enabled.workers, 2);
  assert.equal(
    readdirSync(stores.layout.storeDir('shop-a')).some((name) => name.endsWith('.partial')),
    false,
    'no partial file is left behind',
  );
});

test('an update that changes the id or makes the record invalid is InvalidInput and changes nothing', async (t) => {
  const stores = registry(t);
  await stores.create(input('shop-a'));
  const before = snapshot(stores.layout.root);
  await rejectsWith(
    () => stores.update('shop-a', (r) => ({ ...r, id: 'shop-z' })),
    InvalidInput,
    /keeps its id/,
  );
  await rejectsWith(
    () => stores.update('shop-a', (r) => ({ ...r, currency: 'eur' })),
    InvalidInput,
    /currency/,
  );
  await rejectsWith(
    () => stores.update('shop-a', (r) => ({ ...r, domains: ['Not A Host'] })),
    InvalidInput,
    /domains\.0/,
  );
  await rejectsWith(() => stores.update('shop-x', (r) => r), NotFound);
  assert.deepEqual(snapshot(stores.layout.root), before);
});

test('an embedded store is removed with its directory, and its backups are kept', async (t) => {
  const stores = registry(t);
  await stores.create(input('shop-a'));
  await stores.create(input('shop-b'));
  const backup = path.join(stores.layout.backupsDir, 'shop-a', 'b1');
  mkdirSync(backup, { recursive: true });
  writeFileSync(path.join(backup, 'manifest.json'), '{}');
  await stores.remove('shop-a');
  assert.equal(existsSync(stores.layout.storeDir('shop-a')), false);
  assert.equal(stores.has('shop-a'), false);
  assert.deepEqual(
    stores.list().map((s) => s.id),
    ['shop-b'],
  );
  assert.ok(existsSync(path.join(backup, 'manifest.json')));
  await rejectsWith(() => stores.remove('shop-a'), NotFound);
});

test("processConfig puts the database, uploads and mail inside the store's directory and turns demo seeding off", async (t) => {
  const stores = registry(t);
  const record = await stores.create(
    input('shop-a', { name: 'Shop A', currency: 'CHF', services: ['catalogue'] }),
  );
  const dir = stores.layout.storeDir('shop-a');
  const config = stores.processConfig(record) as {
    store: Record<string, unknown>;
    services: string[];
    dataDir: string;
    database: Record<string, unknown>;
    storage: Record<string, unknown>;
    mail: Record<string, unknown>;
    seed: Record<string, unknown>;
  };
  assert.deepEqual(config.store, { id: 'shop-a', name: 'Shop A', currency: 'CHF' });
  assert.deepEqual(config.services, ['catalogue']);
  assert.equal(config.dataDir, dir);
  assert.deepEqual(config.database, { dir: path.join(dir, 'database') });
  assert.deepEqual(config.storage, { dir: path.join(dir, 'uploads') });
  assert.deepEqual(config.mail, { dir: path.join(dir, 'mail') });
  assert.equal(config.seed.demo, false);
});

test("a store's settings reach its processes, but cannot move its database or mail out or turn demo seeding on", async (t) => {
  const stores = registry(t);
  const created = await stores.create(input('shop-a'));
  const record = stores.update('shop-a', () => ({
    ...created,
    settings: {
      store: { id: 'other', name: 'Other', currency: 'USD', locale: 'de-CH' },
      database: { dir: '/elsewhere/database', poolSize: 4 },
      mail: { dir: '/elsewhere/mail', from: 'shop@a.example' },
      seed: { demo: true, products: 5 },
      catalogue: { stockExposure: 'exact' },
    },
  }));
  const dir = stores.layout.storeDir('shop-a');
  const config = stores.processConfig(record) as Record<string, Record<string, unknown>>;
  assert.deepEqual(config.store, { id: 'shop-a', name: 'Store shop-a', currency: 'EUR', locale: 'de-CH' });
  assert.deepEqual(config.database, { dir: path.join(dir, 'database'), poolSize: 4 });
  assert.deepEqual(config.mail, { dir: path.join(dir, 'mail'), from: 'shop@a.example' });
  assert.deepEqual(config.seed, { demo: false, products: 5 });
  assert.deepEqual(config.catalogue, { stockExposure: 'exact' });
});

test("a store's settings cannot move its uploads out of its directory either", async (t) => {
  const stores = registry(t);
  const created = await stores.create(input('shop-a'));
  const record = stores.update('shop-a', () => ({
    ...created,
    settings: { storage: { dir: '/elsewhere/uploads' } },
  }));
  const config = stores.processConfig(record) as Record<string, Record<string, unknown>>;
  assert.equal(config.storage.dir, path.join(stores.layout.storeDir('shop-a'), 'uploads'));
});

test("writeProcessConfig writes a file the kernel's loadConfig reads into a valid configuration of the store", async (t) => {
  const stores = registry(t);
  const record = await stores.create(input('shop-a', { name: 'Shop A', currency: 'SEK' }));
  const file = stores.writeProcessConfig(record);
  assert.equal(file, stores.layout.storeConfigFile('shop-a'));
  assert.ok(file.startsWith(stores.layout.storeDir('shop-a') + path.sep));

  const config = loadConfig({ env: { SHOPSTACK_CONFIG: file } });
  const dir = stores.layout.storeDir('shop-a');
  assert.equal(config.store.id, 'shop-a');
  assert.equal(config.store.name, 'Shop A');
  assert.equal(config.store.currency, 'SEK');
  assert.deepEqual(config.services, defaultConfig.services);
  assert.equal(config.dataDir, dir);
  assert.equal(config.database.dir, path.join(dir, 'database'));
  assert.equal(config.database.url, undefined);
  assert.equal(config.storage.dir, path.join(dir, 'uploads'));
  assert.equal(config.mail.dir, path.join(dir, 'mail'));
  assert.equal(config.seed.demo, false);

  // A second write (the record changed) replaces the file whole.
  const renamed = stores.update('shop-a', (r) => ({ ...r, name: 'Shop A, renamed' }));
  stores.writeProcessConfig(renamed);
  assert.equal(loadConfig({ env: { SHOPSTACK_CONFIG: file } }).store.name, 'Shop A, renamed');
});

test('databaseUrl names another database on the same server and drops the password', () => {
  assert.equal(
    databaseUrl('postgres://shop:s3cret@db.internal:5433/postgres?sslmode=require', 'shopstack_shop_a'),
    'postgres://shop@db.internal:5433/shopstack_shop_a?sslmode=require',
  );
  assert.equal(storeDatabaseName('shop-a-2'), 'shopstack_shop_a_2');
});

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER });
  await client.connect();
  try {
    const result = await client.query('select 1 from pg_database where datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

/** A store id no other run uses, and its database dropped after the test whatever happened. */
function uniqueStoreId(t: TestContext): string {
  const id = `pg-${process.pid}-${randomBytes(4).toString('hex')}`;
  t.after(() => dropDatabase(POSTGRES_SERVER, storeDatabaseName(id)));
  return id;
}

test('on PostgreSQL, create makes the store its own database and the process config points at it', async (t) => {
  const stores = registry(t);
  const id = uniqueStoreId(t);
  const name = storeDatabaseName(id);
  const record = await stores.create(input(id, { postgresServer: POSTGRES_SERVER }));
  assert.deepEqual(record.database, { kind: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${name}` });
  assert.equal(await databaseExists(name), true);

  const config = loadConfig({ env: { SHOPSTACK_CONFIG: stores.writeProcessConfig(record) } });
  assert.equal(config.database.url, record.database.kind === 'postgres' ? record.database.url : '');
  assert.equal(config.database.dir, undefined);
  assert.equal(config.store.id, id);

  // The database takes connections (a worker's first start migrates it).
  const client = new pg.Client({ connectionString: config.database.url });
  await client.connect();
  try {
    assert.equal((await client.query('select current_database() as name')).rows[0].name, name);
  } finally {
    await client.end();
  }
});

test('on PostgreSQL, a second store of the same id on another platform is a Conflict naming the database', async (t) => {
  const first = registry(t);
  const second = registry(t);
  const id = uniqueStoreId(t);
  await first.create(input(id, { postgresServer: POSTGRES_SERVER }));
  const conflict = await rejectsWith(
    () => second.create(input(id, { postgresServer: POSTGRES_SERVER })),
    Conflict,
    new RegExp(`The database ${storeDatabaseName(id)} exists already`),
  );
  assert.ok(conflict.message.length > 0);
  assert.deepEqual(snapshot(second.layout.root), {}, 'the second platform wrote nothing');
  assert.equal(first.has(id), true, 'the first store is untouched');
  assert.equal(await databaseExists(storeDatabaseName(id)), true);
});

test('on PostgreSQL, remove drops the store database, even with a connection still open to it', async (t) => {
  const stores = registry(t);
  const id = uniqueStoreId(t);
  const record = await stores.create(input(id, { postgresServer: POSTGRES_SERVER }));
  const other = uniqueStoreId(t);
  await stores.create(input(other, { postgresServer: POSTGRES_SERVER }));

  const open = new pg.Client({
    connectionString: record.database.kind === 'postgres' ? record.database.url : '',
  });
  open.on('error', () => {});
  await open.connect();
  t.after(() => open.end().catch(() => {}));

  await stores.remove(id);
  assert.equal(await databaseExists(storeDatabaseName(id)), false);
  assert.equal(existsSync(stores.layout.storeDir(id)), false);
  assert.equal(await databaseExists(storeDatabaseName(other)), true, "another store's database stays");
  assert.deepEqual(
    stores.list().map((s) => s.id),
    [other],
  );
});
