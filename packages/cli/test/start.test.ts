import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { TEST_POSTGRES_URL, uniqueName } from '@shopstack/kernel/testing';
import { get, runCli, startCli, tempDir, type RunningProcess } from './cli-process.js';

const LISTENING = /^ShopStack "(.+)" listening on (http:\/\/\S+) — press Ctrl-C to stop$/m;
const SEED_PRODUCTS = 60;

interface ProductPage {
  items: Array<{ id: string; slug: string }>;
}

async function startStore(env: Record<string, string>): Promise<{ cli: RunningProcess; url: string }> {
  const cli = startCli(['start'], { PORT: '0', SHOPSTACK_SEED_PRODUCTS: String(SEED_PRODUCTS), ...env });
  try {
    const [, , url] = await cli.waitFor(LISTENING, 45_000);
    return { cli, url: url! };
  } catch (err) {
    await cli.kill();
    throw err;
  }
}

/** Stops a store with SIGTERM and returns its exit code. */
async function stop(cli: RunningProcess): Promise<number | null> {
  cli.signal('SIGTERM');
  return cli.exited;
}

async function productIds(url: string): Promise<string[]> {
  const res = await get(`${url}/api/catalogue/products?limit=100`);
  assert.equal(res.status, 200, res.body);
  return (JSON.parse(res.body) as ProductPage).items.map((p) => p.id).sort();
}

describe('shopstack start on the embedded database', () => {
  const dataDir = tempDir('data');
  const running: RunningProcess[] = [];
  after(async () => {
    for (const cli of running) await cli.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a new store starts seeded, stops on SIGTERM with code 0, and keeps its data across a restart', async () => {
    const env = { SHOPSTACK_DATA_DIR: dataDir, SHOPSTACK_STORE_NAME: 'Test Shop' };
    const first = await startStore(env);
    running.push(first.cli);
    assert.match(
      first.cli.stdout,
      new RegExp(`Data: PGlite \\(embedded PostgreSQL\\) in ${path.join(dataDir, 'demo')}`),
    );
    assert.match(first.cli.stdout, /Seeded 60 products \(\d+ variants\) in \d+ categories/);
    assert.equal(first.cli.stdout.match(LISTENING)![1], 'Test Shop');

    const ready = await get(`${first.url}/health/ready`);
    assert.equal(ready.status, 200);
    assert.equal(JSON.parse(ready.body).status, 'pass');
    const openapi = await get(`${first.url}/api/openapi.json`);
    assert.equal(openapi.status, 200);
    assert.ok(Object.keys(JSON.parse(openapi.body).paths).some((p) => p.startsWith('/api/catalogue/')));
    const seeded = await productIds(first.url);
    assert.ok(seeded.length > 40, `published products listed: ${seeded.length}`);

    // While the store runs, no other command may open its embedded database.
    const seed = await runCli(['seed', '--products', '5'], env);
    assert.equal(seed.code, 1);
    assert.match(seed.stderr, /in use by process \d+ \(shopstack start\)/);

    assert.equal(await stop(first.cli), 0);
    assert.match(first.cli.stdout, /Stopped\./);

    const second = await startStore(env);
    running.push(second.cli);
    assert.doesNotMatch(second.cli.stdout, /seed/i, 'a restart does not seed again');
    assert.deepEqual(await productIds(second.url), seeded, 'the same products, with the same ids');
    assert.equal(await stop(second.cli), 0);
  });
});

describe('shopstack on PostgreSQL', () => {
  const database = uniqueName('shopstack_cli');
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const running: RunningProcess[] = [];

  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  after(async () => {
    for (const cli of running) await cli.kill();
    await admin(`drop database if exists ${database} with (force)`);
  });

  test('the same start runs on PostgreSQL when DATABASE_URL is set', async () => {
    await admin(`create database ${database}`);
    const store = await startStore({ DATABASE_URL: databaseUrl });
    running.push(store.cli);
    assert.match(store.cli.stdout, new RegExp(`Data: PostgreSQL postgres@127\\.0\\.0\\.1:5432/${database}`));
    const ready = JSON.parse((await get(`${store.url}/health/ready`)).body);
    assert.equal(ready.checks['database:postgres'][0].status, 'pass');
    assert.ok((await productIds(store.url)).length > 40);
    assert.equal(await stop(store.cli), 0);
  });

  test('seed refuses a catalogue that holds data, and --reset replaces it', async () => {
    const refused = await runCli(['seed', '--products', '20'], { DATABASE_URL: databaseUrl });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already holds data\. Run "shopstack seed --reset"/);

    const reset = await runCli(['seed', '--products', '25', '--seed', '3', '--reset'], {
      DATABASE_URL: databaseUrl,
    });
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /Seeding products: 25\/25 \(100%\)/);
    assert.match(reset.stdout, /Seeded 25 products/);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('select count(*)::int as count from catalogue.products');
      assert.equal(rows[0].count, 25);
    } finally {
      await client.end();
    }
  });
});
