import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createMemoryCache } from '../src/cache.js';
import { syncCacheAcrossProcesses } from '../src/cache-sync.js';
import { createLogger } from '../src/logger.js';
import { TestBackend, testBackends } from './support/index.js';

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
