import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { createMemoryCache, type MemoryCacheOptions } from '../src/cache.js';

const enabled: MemoryCacheOptions = { enabled: true, maxEntries: 100, ttlMs: 60_000 };

/** A loader that counts its calls and answers after a short delay, like a database query. */
function countingLoader(value: (call: number) => string, delayMs = 5) {
  let calls = 0;
  const load = async () => {
    calls++;
    const call = calls;
    await sleep(delayMs);
    return value(call);
  };
  return { load, calls: () => calls };
}

describe('memory cache', () => {
  test('a second read of the same key is served from the cache', async () => {
    const cache = createMemoryCache(enabled);
    const loader = countingLoader((n) => `product v${n}`);
    assert.equal(await cache.wrap('catalogue', 'product:1', loader.load), 'product v1');
    assert.equal(await cache.wrap('catalogue', 'product:1', loader.load), 'product v1');
    assert.equal(loader.calls(), 1);
    assert.deepEqual(cache.stats, { hits: 1, misses: 1 });
  });

  test('keys and namespaces are separate entries', async () => {
    const cache = createMemoryCache(enabled);
    assert.equal(await cache.wrap('catalogue', 'a', async () => 'A'), 'A');
    assert.equal(await cache.wrap('catalogue', 'b', async () => 'B'), 'B');
    assert.equal(await cache.wrap('ratings', 'a', async () => 'ratings A'), 'ratings A');
    assert.equal(await cache.wrap('catalogue', 'a', async () => 'stale'), 'A');
  });

  test('invalidating a namespace makes the next read load again, other namespaces keep their entries', async () => {
    const cache = createMemoryCache(enabled);
    const catalogue = countingLoader((n) => `list v${n}`);
    const ratings = countingLoader((n) => `ratings v${n}`);
    await cache.wrap('catalogue', 'list', catalogue.load);
    await cache.wrap('ratings', 'summary', ratings.load);

    cache.invalidate('catalogue');
    assert.equal(await cache.wrap('catalogue', 'list', catalogue.load), 'list v2');
    assert.equal(await cache.wrap('catalogue', 'list', catalogue.load), 'list v2');
    assert.equal(await cache.wrap('ratings', 'summary', ratings.load), 'ratings v1');
    assert.equal(catalogue.calls(), 2);
    assert.equal(ratings.calls(), 1);
  });

  test('concurrent misses of one key share a single load', async () => {
    const cache = createMemoryCache(enabled);
    const loader = countingLoader((n) => `page v${n}`, 20);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.wrap('catalogue', 'page:1', loader.load)),
    );
    assert.equal(loader.calls(), 1);
    assert.ok(results.every((r) => r === 'page v1'));
  });

  test('a load that started before an invalidation is not served after it', async () => {
    const cache = createMemoryCache(enabled);
    const loader = countingLoader((n) => `price v${n}`, 30);
    const before = cache.wrap('catalogue', 'price', loader.load);
    await sleep(5);
    cache.invalidate('catalogue');
    const after = await cache.wrap('catalogue', 'price', loader.load);
    assert.equal(await before, 'price v1');
    assert.equal(after, 'price v2');
    assert.equal(await cache.wrap('catalogue', 'price', loader.load), 'price v2');
  });

  test('a load that started before the cache was cleared is neither joined nor served after it', async () => {
    const cache = createMemoryCache(enabled);
    const loader = countingLoader((n) => `stock v${n}`, 30);
    const before = cache.wrap('catalogue', 'stock', loader.load);
    await sleep(5);
    cache.clear();
    const after = await cache.wrap('catalogue', 'stock', loader.load);
    assert.equal(await before, 'stock v1');
    assert.equal(after, 'stock v2');
    assert.equal(await cache.wrap('catalogue', 'stock', loader.load), 'stock v2');
  });

  test('a disabled cache loads on every read', async () => {
    const cache = createMemoryCache({ ...enabled, enabled: false });
    const loader = countingLoader((n) => `v${n}`);
    const results = await Promise.all([1, 2, 3].map(() => cache.wrap('catalogue', 'k', loader.load)));
    assert.equal(await cache.wrap('catalogue', 'k', loader.load), 'v4');
    assert.deepEqual(results.sort(), ['v1', 'v2', 'v3']);
    assert.equal(loader.calls(), 4);
  });

  test('a failing load is not cached: every waiter sees the error and the next read retries', async () => {
    const cache = createMemoryCache(enabled);
    let calls = 0;
    const flaky = async () => {
      calls++;
      await sleep(10);
      if (calls === 1) throw new Error('database went away');
      return 'recovered';
    };
    const waiters = await Promise.allSettled([1, 2, 3].map(() => cache.wrap('catalogue', 'k', flaky)));
    assert.ok(waiters.every((w) => w.status === 'rejected' && /database went away/.test(String(w.reason))));
    assert.equal(calls, 1);
    assert.equal(await cache.wrap('catalogue', 'k', flaky), 'recovered');
    assert.equal(calls, 2);
  });

  test('entries expire after their time to live', async () => {
    const cache = createMemoryCache({ ...enabled, ttlMs: 30 });
    const loader = countingLoader((n) => `v${n}`, 0);
    await cache.wrap('catalogue', 'k', loader.load);
    await sleep(60);
    assert.equal(await cache.wrap('catalogue', 'k', loader.load), 'v2');
  });

  test('the least recently used entry is evicted beyond maxEntries', async () => {
    const cache = createMemoryCache({ ...enabled, maxEntries: 2 });
    const loads: string[] = [];
    const load = (key: string) => async () => {
      loads.push(key);
      return key;
    };
    await cache.wrap('catalogue', 'a', load('a'));
    await cache.wrap('catalogue', 'b', load('b'));
    await cache.wrap('catalogue', 'a', load('a'));
    await cache.wrap('catalogue', 'c', load('c'));
    await cache.wrap('catalogue', 'a', load('a'));
    await cache.wrap('catalogue', 'b', load('b'));
    assert.deepEqual(loads, ['a', 'b', 'c', 'b']);
  });

  test('local invalidations reach listeners, remote ones apply without echoing back', async () => {
    const cache = createMemoryCache(enabled);
    const heard: string[] = [];
    cache.onInvalidate((namespace) => heard.push(namespace));
    const loader = countingLoader((n) => `v${n}`, 0);
    await cache.wrap('catalogue', 'k', loader.load);

    cache.applyRemoteInvalidation('catalogue');
    assert.deepEqual(heard, []);
    assert.equal(await cache.wrap('catalogue', 'k', loader.load), 'v2');

    cache.invalidate('catalogue');
    assert.deepEqual(heard, ['catalogue']);
    assert.equal(await cache.wrap('catalogue', 'k', loader.load), 'v3');
  });
});
