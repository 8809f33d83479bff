import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { loadConfig, openDatabase } from '@shopstack/kernel';
import { PlatformLayout, StoreRegistry, type StoreRecord } from '@shopstack/platform';
import { runCli, tempDir } from './cli-process.js';

// `store create` migrates a new embedded database (about 10 s), so it runs once, into a template
// platform directory; each test works on a copy of it, so tests change nothing the others see.

let template = '';
let created: { code: number | null; stdout: string; stderr: string };

before(async () => {
  template = tempDir('store-template');
  created = await runCli([
    'store',
    'create',
    'shop-a',
    '--name',
    'Shop A',
    '--domain',
    'Shop-A.example',
    '--domain',
    'www.shop-a.example',
    '--currency',
    'GBP',
    '--workers',
    '2',
    '--dir',
    template,
  ]);
});

after(() => rmSync(template, { recursive: true, force: true }));

/** A platform directory of the test's own holding shop-a as `store create` made it. */
function platformWithStore(t: TestContext): string {
  assert.equal(created.code, 0, created.stderr);
  const dir = tempDir('stores');
  cpSync(template, dir, { recursive: true });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function emptyPlatform(t: TestContext): string {
  const dir = path.join(tempDir('stores-empty'), 'platform');
  t.after(() => rmSync(path.dirname(dir), { recursive: true, force: true }));
  return dir;
}

function store(cli: { stdout: string }, id: string): StoreRecord {
  const stores = JSON.parse(cli.stdout) as StoreRecord[];
  const record = stores.find((s) => s.id === id);
  assert.ok(record, `${id} is listed`);
  return record;
}

/** Failed the way a user's mistake should: exit 1, one line naming the problem, no stack trace. */
function assertOneLineFailure(
  result: { code: number | null; stdout: string; stderr: string },
  message: RegExp,
) {
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^shopstack: /);
  assert.match(lines[0]!, message);
}

test('store create makes a store with its own migrated embedded database, record and uploads', async (t) => {
  const dir = platformWithStore(t);
  assert.match(created.stdout, /^Created store shop-a \(Shop A\) in .*stores[/\\]shop-a$/m);
  assert.match(created.stdout, /^Database: embedded \(PGlite\)$/m);
  assert.match(created.stdout, /^Domains: shop-a\.example, www\.shop-a\.example$/m);
  assert.equal(created.stderr, '');

  const registry = new StoreRegistry(new PlatformLayout(dir));
  const record = registry.get('shop-a');
  assert.equal(record.name, 'Shop A');
  assert.equal(record.currency, 'GBP');
  assert.equal(record.workers, 2);
  assert.equal(record.enabled, true);
  assert.deepEqual(record.domains, ['shop-a.example', 'www.shop-a.example']);
  assert.deepEqual(record.database, { kind: 'embedded', dir: 'database' });
  assert.ok(existsSync(path.join(registry.layout.storeDir('shop-a'), 'uploads')));

  // Its database holds every service's tables: the workers' first start finds it migrated.
  const config = loadConfig({ env: { SHOPSTACK_CONFIG: registry.writeProcessConfig(record) } });
  const database = await openDatabase(config, { purpose: 'store-commands test' });
  try {
    const { rows } = await database.pool.query<{ schema: string }>(
      `select distinct table_schema as schema from information_schema.tables
       where table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const schemas = rows.map((row) => row.schema);
    for (const service of record.services) {
      assert.ok(
        schemas.includes(database.schemaFor(service)),
        `${service} is migrated (${schemas.join(', ')})`,
      );
    }
  } finally {
    await database.close();
  }
});

test('store list prints one line per store, and --json the records', async (t) => {
  const dir = platformWithStore(t);
  const [text, json] = await Promise.all([
    runCli(['store', 'list', '--dir', dir]),
    runCli(['store', 'list', '--json', '--dir', dir]),
  ]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^shop-a +enabled +GBP +embedded +shop-a\.example, www\.shop-a\.example$/m);
  assert.equal(text.stdout.trim().split('\n').length, 1);
  assert.equal(json.code, 0, json.stderr);
  const record = store(json, 'shop-a');
  assert.equal(record.name, 'Shop A');
  assert.deepEqual(record, new StoreRegistry(new PlatformLayout(dir)).get('shop-a'));
});

test('store list on a platform without stores says how to create one, and --json prints []', async (t) => {
  const dir = emptyPlatform(t);
  const [text, json] = await Promise.all([
    runCli(['store', 'list', '--dir', dir]),
    runCli(['store', 'list', '--json', '--dir', dir]),
  ]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /No stores yet: create one with "shopstack store create <id> --name \.\.\."/);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), []);
  assert.equal(existsSync(dir), false, 'listing creates no platform directory');
});

test("store show prints a store's settings, --json its record, and an unknown store is a one-line error", async (t) => {
  const dir = platformWithStore(t);
  const [text, json, unknown] = await Promise.all([
    runCli(['store', 'show', 'shop-a', '--dir', dir]),
    runCli(['store', 'show', 'shop-a', '--json', '--dir', dir]),
    runCli(['store', 'show', 'shop-z', '--dir', dir]),
  ]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^shop-a {2}enabled$/m);
  assert.match(text.stdout, /^ {2}name: +Shop A$/m);
  assert.match(text.stdout, /^ {2}domains: +shop-a\.example, www\.shop-a\.example$/m);
  assert.match(text.stdout, /^ {2}currency: +GBP$/m);
  assert.match(text.stdout, /^ {2}services: +users, catalogue, /m);
  assert.match(text.stdout, /^ {2}workers: +2$/m);
  assert.match(text.stdout, /^ {2}database: +embedded \(database\)$/m);
  assert.match(text.stdout, /^ {2}backups: +local, on demand, keep 7 daily and 4 weekly$/m);

  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), new StoreRegistry(new PlatformLayout(dir)).get('shop-a'));

  assertOneLineFailure(unknown, /No store "shop-z" on this platform/);
});

test('store disable and enable show in store list', async (t) => {
  const dir = platformWithStore(t);
  const disable = await runCli(['store', 'disable', 'shop-a', '--dir', dir]);
  assert.equal(disable.code, 0, disable.stderr);
  assert.match(disable.stdout, /^Store shop-a disabled\.$/m);
  const [listed, json] = await Promise.all([
    runCli(['store', 'list', '--dir', dir]),
    runCli(['store', 'list', '--json', '--dir', dir]),
  ]);
  assert.match(listed.stdout, /^shop-a +disabled +GBP /m);
  assert.equal(store(json, 'shop-a').enabled, false);

  const enable = await runCli(['store', 'enable', 'shop-a', '--dir', dir]);
  assert.equal(enable.code, 0, enable.stderr);
  assert.match(enable.stdout, /^Store shop-a enabled\.$/m);
  const again = await runCli(['store', 'list', '--json', '--dir', dir]);
  const record = store(again, 'shop-a');
  assert.equal(record.enabled, true);
  assert.equal(record.name, 'Shop A', 'nothing else changed');
  assert.equal(record.workers, 2);
});

test('store remove without --yes and without a terminal refuses and keeps the store', async (t) => {
  const dir = platformWithStore(t);
  const layout = new PlatformLayout(dir);
  const before = readFileSync(layout.storeFile('shop-a'), 'utf8');
  const result = await runCli(['store', 'remove', 'shop-a', '--no-backup', '--dir', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Not removed: confirm with --yes/);
  assert.equal(
    readFileSync(layout.storeFile('shop-a'), 'utf8'),
    before,
    'the record is untouched (still enabled)',
  );
  assert.ok(existsSync(path.join(layout.storeDir('shop-a'), 'database')));
  assert.equal(existsSync(layout.backupsDir), false, 'no backup was taken');

  await t.test('the refusal is one line, without a stack trace', () =>
    assertOneLineFailure(result, /^shopstack: Not removed: confirm with --yes/),
  );
});

test('store remove --yes --no-backup deletes the store directory and takes no backup', async (t) => {
  const dir = platformWithStore(t);
  const layout = new PlatformLayout(dir);
  const result = await runCli(['store', 'remove', 'shop-a', '--yes', '--no-backup', '--dir', dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Removed store shop-a\.$/m);
  assert.doesNotMatch(result.stdout, /Final backup/);
  assert.equal(existsSync(layout.storeDir('shop-a')), false);
  assert.deepEqual(readdirSync(layout.storesDir), []);
  assert.equal(existsSync(layout.backupsDir), false);
  assert.deepEqual(new StoreRegistry(layout).list(), []);
});

test('store create with a bad id, currency or service name fails in one line and creates nothing', async (t) => {
  const dir = emptyPlatform(t);
  const [badId, badCurrency, badService] = await Promise.all([
    runCli(['store', 'create', 'BAD_ID', '--name', 'x', '--dir', dir]),
    runCli(['store', 'create', 'shop-x', '--name', 'x', '--currency', 'eur', '--dir', dir]),
    runCli(['store', 'create', 'shop-y', '--name', 'x', '--services', 'catalogue,unicorns', '--dir', dir]),
  ]);
  assertOneLineFailure(badId, /Invalid store: id: a lower-case slug/);
  assertOneLineFailure(badCurrency, /Invalid store: currency: an ISO 4217 code such as EUR/);
  assertOneLineFailure(badService, /unknown service "unicorns"; available: users, catalogue/);
  for (const result of [badId, badCurrency, badService]) assert.equal(result.stdout, '');
  assert.equal(existsSync(dir), false, 'no platform directory was made');
});

test('store create of an existing id fails in one line and changes nothing', async (t) => {
  const dir = platformWithStore(t);
  const layout = new PlatformLayout(dir);
  const before = readFileSync(layout.storeFile('shop-a'), 'utf8');
  const sameId = await runCli([
    'store',
    'create',
    'shop-a',
    '--name',
    'Other',
    '--currency',
    'USD',
    '--dir',
    dir,
  ]);
  assertOneLineFailure(sameId, /A store "shop-a" exists already/);
  assert.equal(readFileSync(layout.storeFile('shop-a'), 'utf8'), before);
  assert.deepEqual(readdirSync(layout.storesDir), ['shop-a']);
});
