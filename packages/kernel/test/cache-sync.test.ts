import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createMemoryCache } from '../src/cache.js';
import { syncCacheAcrossProcesses } from '../src/cache-sync.js';
import { createLogger } from '../src/logger.js';
import { TEST_POSTGRES_URL, TestBackend, testBackends } from './support/index.js';

const cacheOptions = { enabled: true, maxEntries: 100, ttlMs: 60_000 };

async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail('condition not met in time');
}

describe(
  'cache invalidation across processes [postgres]',
  { skip: !testBackends().includes('postgres') },
  () => {
    const backend = new TestBackend('postgres');
    before(() => backend.open());
    after(() => backend.close());

    test('an invalidation in one process makes the other process load again', async () => {
      const config = backend.config();
      const logger = createLogger(config);
      const [dbA, dbB] = [await backend.database(config), await backend.database(config)];
      const [cacheA, cacheB] = [createMemoryCache(cacheOptions), createMemoryCache(cacheOptions)];
      const stops = [
        await syncCacheAcrossProcesses(dbA, cacheA, logger),
        await syncCacheAcrossProcesses(dbB, cacheB, logger),
      ];
      try {
        let version = 1;
        const load = async () => `v${version}`;
        assert.equal(await cacheB.wrap('catalogue', 'k', load), 'v1');
        version = 2;
        assert.equal(await cacheB.wrap('catalogue', 'k', load), 'v1', 'still cached before any write');
        cacheA.invalidate('catalogue');
        await eventually(async () => (await cacheB.wrap('catalogue', 'k', load)) === 'v2');
      } finally {
        for (const stop of stops) await stop();
      }
    });

    test('a listener that loses its connection keeps reconnecting through a refused attempt, then clears its cache', async () => {
      const config = backend.config();
      const logger = createLogger(config);
      const [dbA, dbB] = [await backend.database(config), await backend.database(config)];
      const [cacheA, cacheB] = [createMemoryCache(cacheOptions), createMemoryCache(cacheOptions)];
      const stops = [
        await syncCacheAcrossProcesses(dbA, cacheA, logger),
        await syncCacheAcrossProcesses(dbB, cacheB, logger),
      ];
      const databaseName = new URL(backend.postgresUrl!).pathname.slice(1);
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      try {
        let version = 1;
        const load = async () => `v${version}`;
        assert.equal(await cacheB.wrap('catalogue', 'k', load), 'v1');
        // While the database takes no new connections, the first reconnection attempts are refused.
        await admin.query(`alter database ${databaseName} allow_connections false`);
        const { rowCount } = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where datname = $1 and query = 'listen shopstack_cache'`,
          [databaseName],
        );
        assert.equal(rowCount, 2);
        await sleep(500);
        await admin.query(`alter database ${databaseName} allow_connections true`);

        // Invalidations sent while B was away are lost: reconnecting clears B's cache instead.
        version = 2;
        await eventually(async () => (await cacheB.wrap('catalogue', 'k', load)) === 'v2', 8_000);
        version = 3;
        await eventually(async () => {
          cacheA.invalidate('catalogue');
          return (await cacheB.wrap('catalogue', 'k', load)) === 'v3';
        }, 8_000);
      } finally {
        await admin.query(`alter database ${databaseName} allow_connections true`);
        await admin.end();
        for (const stop of stops) await stop();
      }
    });

    test('processes with another schema prefix ignore the invalidation', async () => {
      const configA = backend.config();
      const configB = backend.config();
      const logger = createLogger(configA);
      const [dbA, dbB] = [await backend.database(configA), await backend.database(configB)];
      const [cacheA, cacheB] = [createMemoryCache(cacheOptions), createMemoryCache(cacheOptions)];
      const stops = [
        await syncCacheAcrossProcesses(dbA, cacheA, logger),
        await syncCacheAcrossProcesses(dbB, cacheB, logger),
      ];
      try {
        let version = 1;
        const load = async () => `v${version}`;
        await cacheB.wrap('catalogue', 'k', load);
        version = 2;
        cacheA.invalidate('catalogue');
        await sleep(300);
        assert.equal(await cacheB.wrap('catalogue', 'k', load), 'v1');
      } finally {
        for (const stop of stops) await stop();
      }
    });
  },
);
