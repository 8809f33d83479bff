import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { request } from 'undici';
import { PlatformLayout, StoreRegistry } from '../src/index.js';
import { startLoad } from './support/load.js';
import { eventually, RUN, startTestPlatform, type TestStore } from './support/platform.js';

const A: TestStore = { id: `iso-a-${RUN}`, domain: 'shop-a.example', workers: 2 };
const B: TestStore = { id: `iso-b-${RUN}`, domain: 'shop-b.example', workers: 2, postgres: true };

test('stores on one platform are isolated from each other', { timeout: 600_000 }, async (t) => {
  // A third store whose configuration is broken: its workers cannot start.
  const broken = `iso-c-${RUN}`;
  const platform = await startTestPlatform(t, [A, B], {}, async (dir) => {
    const registry = new StoreRegistry(new PlatformLayout(dir));
    await registry.create({ id: broken, name: 'Broken', domains: ['shop-c.example'], currency: 'EUR' });
    registry.update(broken, (r) => ({ ...r, settings: { catalogue: { stockExposure: 'everything' } } }));
  });
  const hostA = { host: A.domain };
  const hostB = { host: B.domain };

  await t.test('a store that cannot start is reported down while the others serve', async () => {
    const stores = await platform.status();
    assert.equal(stores.find((s) => s.id === broken)?.up, false);
    assert.equal(stores.find((s) => s.id === A.id)?.up, true);
    assert.equal(stores.find((s) => s.id === B.id)?.up, true);
    const status = await platform.cli(['status'], true);
    assert.equal(status.code, 1, 'status exits 1 while a store is down');
    assert.match(status.stderr, new RegExp(`Down: ${broken}`));
    const answer = await request(`${platform.url}/`, { headers: { host: 'shop-c.example' } });
    assert.equal(answer.statusCode, 503);
    assert.equal(((await answer.body.json()) as { code: string }).code, 'store_unavailable');
  });

  await t.test("a request through store A's host never sees store B's data", async () => {
    const a = await platform.catalogue(hostA);
    const b = await platform.catalogue(hostB);
    assert.ok(a.ids.length > 0 && b.ids.length > 0);
    // Separate databases: the two demo catalogues share no product id.
    assert.equal(a.ids.filter((id) => b.ids.includes(id)).length, 0);
    for (const id of b.ids.slice(0, 5)) {
      const throughA = await request(`${platform.url}/api/catalogue/products/${id}`, { headers: hostA });
      assert.equal(throughA.statusCode, 404, `B's product ${id} through A's host`);
      await throughA.body.dump();
      const throughB = await request(`${platform.url}/api/catalogue/products/${id}`, { headers: hostB });
      assert.equal(throughB.statusCode, 200);
      await throughB.body.dump();
    }
    // The development routes reach the same stores.
    const prefixed = await request(`${platform.url}/s/${B.id}/api/catalogue/products/${b.ids[0]}`);
    assert.equal(prefixed.statusCode, 200);
    await prefixed.body.dump();
    const header = await request(`${platform.url}/api/catalogue/products/${b.ids[0]}`, {
      headers: { 'x-store': A.id },
    });
    assert.equal(header.statusCode, 404);
    await header.body.dump();
  });

  await t.test(
    "kill -9 of every worker of A during load on B: B sees no error, A's workers come back",
    async () => {
      const catalogue = await platform.catalogue(hostB);
      const pidsA = await platform.livePids(A.id);
      const pidsB = await platform.livePids(B.id);
      assert.equal(pidsA.length, A.workers);
      assert.equal(pidsB.length, B.workers);

      const load = startLoad({
        url: platform.url,
        storeHeaders: hostB,
        ratePerSecond: 100,
        checkoutShare: 0,
        skus: [],
        slugs: catalogue.slugs,
      });
      await sleep(2000);
      for (const pid of pidsA) process.kill(pid, 'SIGKILL');
      // A answers with errors while it has no worker: that is A's business, not B's.
      const aDuring = await request(`${platform.url}/api/catalogue/products?limit=1`, { headers: hostA });
      await aDuring.body.dump();
      assert.ok([200, 502, 503].includes(aDuring.statusCode));
      const restarted = await eventually(
        async () => {
          const pids = await platform.livePids(A.id);
          return pids.length === A.workers && pids.every((pid) => !pidsA.includes(pid)) ? pids : undefined;
        },
        90_000,
        "A's workers to be started again",
      );
      await sleep(2000);
      const report = await load.stop();

      assert.deepEqual(
        report.failures,
        [],
        `B failed ${report.failures.length} of ${report.requests} requests`,
      );
      assert.ok(report.requests > 300, `B served ${report.requests} requests`);
      assert.deepEqual(
        (await platform.livePids(B.id)).sort(),
        pidsB.sort(),
        "B's workers are the same processes",
      );
      assert.equal(restarted.length, A.workers);
      const aAfter = await request(`${platform.url}/api/catalogue/products?limit=1`, { headers: hostA });
      assert.equal(aAfter.statusCode, 200);
      await aAfter.body.dump();
      t.diagnostic(
        `B served ${report.requests} requests in ${report.elapsedMs} ms with 0 failures while A was killed`,
      );
      // The supervisor's log says what it did and that it waited before starting again.
      assert.match(
        platform.process.stderr,
        new RegExp(`worker ${pidsA[0]} of store ${A.id} \\(blue\\) ended \\(code null, signal SIGKILL\\)`),
      );
    },
  );
});
