import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmbeddedDatabase } from '../src/embedded/index.js';
import { buildApp, type ShopApp } from '../src/app.js';
import pg from 'pg';
import { openDatabase } from '../src/database.js';
import { describeEachBackend, embeddedFromTemplate, TEST_POSTGRES_URL, uniqueName } from './support/index.js';

interface HealthBody {
  status: 'pass' | 'fail';
  version: string;
  serviceId: string;
  checks: Record<
    string,
    Array<{ status: string; componentType: string; observedValue?: number; output?: string }>
  >;
}

async function ready(shop: ShopApp) {
  const res = await shop.app.inject({ method: 'GET', url: '/health/ready' });
  assert.match(String(res.headers['content-type']), /^application\/health\+json/);
  return { statusCode: res.statusCode, body: res.json() as HealthBody };
}

describeEachBackend('health checks', (backend) => {
  test('liveness answers 200 without touching dependencies', async () => {
    const shop = await backend.buildApp({ services: [] });
    const res = await shop.app.inject({ method: 'GET', url: '/health/live' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/health\+json/);
    assert.equal(res.json().status, 'pass');
    assert.equal(res.json().serviceId, 'shopstack-demo');
  });

  test('readiness reports the database with its latency', async () => {
    const shop = await backend.buildApp({ services: [] });
    const { statusCode, body } = await ready(shop);
    assert.equal(statusCode, 200);
    assert.equal(body.status, 'pass');
    const db = body.checks[`database:${backend.kind}`]![0]!;
    assert.equal(db.status, 'pass');
    assert.equal(db.componentType, 'datastore');
    assert.equal(typeof db.observedValue, 'number');
    assert.ok(db.observedValue! >= 0);
    assert.equal(body.checks['process:draining']![0]!.status, 'pass');
  });

  test('readiness fails with 503 while the process drains, liveness still passes', async () => {
    const shop = await backend.buildApp({ services: [] });
    shop.health.shuttingDown = true;
    const { statusCode, body } = await ready(shop);
    assert.equal(statusCode, 503);
    assert.equal(body.status, 'fail');
    assert.equal(body.checks['process:draining']![0]!.status, 'fail');
    assert.equal(body.checks[`database:${backend.kind}`]![0]!.status, 'pass');
    assert.equal((await shop.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);

    shop.health.shuttingDown = false;
    assert.equal((await ready(shop)).statusCode, 200);
  });

  test('readiness fails with 503 once the database goes away, liveness still passes', async () => {
    const target = await disposableDatabase(backend.kind);
    const config = backend.config({ database: { url: target.url } });
    const database = await openDatabase(config, target.embedded ? { embedded: target.embedded } : {});
    const shop = await buildApp({ config, database, services: [] });
    try {
      assert.equal((await ready(shop)).statusCode, 200);
      await target.remove();

      const { statusCode, body } = await ready(shop);
      assert.equal(statusCode, 503);
      assert.equal(body.status, 'fail');
      const check = body.checks[`database:${backend.kind}`]![0]!;
      assert.equal(check.status, 'fail');
      assert.ok(check.output && check.output.length > 0, 'the failure says why');
      assert.equal((await shop.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);
    } finally {
      await shop.app.close();
      await database.close().catch(() => {});
      await target.remove();
    }
  });
});

/**
 * A database that a test may destroy under a running app: a PostgreSQL database of its own
 * (dropped with force, which cuts every connection) or an embedded database of its own (stopped).
 */
async function disposableDatabase(
  kind: 'pglite' | 'postgres',
): Promise<{ url?: string; embedded?: EmbeddedDatabase; remove(): Promise<void> }> {
  if (kind === 'pglite') {
    const embedded = await embeddedFromTemplate();
    return { embedded, remove: () => embedded.close() };
  }
  const name = uniqueName('shopstack_gone');
  await adminQuery(`create database ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  let removed = false;
  return {
    url: url.toString(),
    async remove() {
      if (removed) return;
      removed = true;
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
