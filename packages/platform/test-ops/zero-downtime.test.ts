import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import { request } from 'undici';
import { CURRENT_ROOT, SMOKE_EMAIL } from '../src/index.js';
import { startLoad, type LoadReport } from './support/load.js';
import {
  connectStoreDatabase,
  fillStock,
  RUN,
  startTestPlatform,
  type TestPlatform,
  type TestStore,
} from './support/platform.js';
import { linkedRelease } from './support/releases.js';

// The store under load is on PostgreSQL (an embedded store's one database process would be the
// bottleneck of this machine's two cores well below the rate); the bystander is embedded.
const A: TestStore = { id: `zd-a-${RUN}`, domain: 'shop-a.example', workers: 2, postgres: true };
const B: TestStore = { id: `zd-b-${RUN}`, domain: 'shop-b.example', workers: 1 };
/** About 200 requests a second through the gateway: reads, and a checkout flow (five requests) in every fifth flow. */
const RATE = 200;

/** A release whose workers start and pass their readiness check but fail every shop request. */
function brokenRelease(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-broken-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'packages', 'cli', 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'broken', version: '9.9.9-broken' }));
  writeFileSync(
    path.join(dir, 'packages', 'cli', 'bin', 'shopstack.mjs'),
    `import http from 'node:http';
if (process.argv[2] === 'migrate') process.exit(0);
const server = http.createServer((req, res) => {
  res.writeHead(req.url.startsWith('/health') ? 200 : 500, { 'content-type': 'application/json' });
  res.end('{}');
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'shopstack:listening', port: server.address().port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));
`,
  );
  return dir;
}

/** A copy of this tree's layout whose one new migration drops a column the live code still reads. */
function contractingRelease(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-contract-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(CURRENT_ROOT, 'packages', 'cli', 'bin'), path.join(dir, 'packages', 'cli', 'bin'), {
    recursive: true,
  });
  const migrations = path.join(dir, 'packages', 'catalogue', 'src', 'migrations');
  mkdirSync(migrations, { recursive: true });
  writeFileSync(
    path.join(migrations, '9001-drop-compare-at-price.ts'),
    'export const migration = { async up(db, { schema }) { await sql`alter table ${sql.table(`${schema}.variants`)} drop column compare_at_price`.execute(db); } };\n',
  );
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'contract', version: '9.9.9-contract' }),
  );
  return dir;
}

interface Phase {
  name: string;
  report: LoadReport;
}

test(
  'deploys, rollbacks and rolling restarts of one store under load fail no request',
  { timeout: 1_500_000 },
  async (t) => {
    const platform = await startTestPlatform(t, [A, B]);
    const hostA = { host: A.domain };
    await fillStock(platform, A);
    const catalogue = await platform.catalogue(hostA);
    const pidsB = await platform.livePids(B.id);
    const phases: Phase[] = [];

    /** Runs an operation under steady load on A; asserts that no request failed. */
    const underLoad = async (name: string, operation: () => Promise<unknown>) => {
      const load = startLoad({
        url: platform.url,
        storeHeaders: hostA,
        ratePerSecond: RATE,
        checkoutShare: 0.2,
        skus: catalogue.skus,
        slugs: catalogue.slugs,
      });
      let result: unknown;
      let report: LoadReport;
      try {
        await sleep(2000);
        result = await operation();
        await sleep(2000);
      } finally {
        // The load stops whatever happened: a load left running would place orders behind the test's back.
        report = await load.stop();
      }
      phases.push({ name, report });
      t.diagnostic(
        `${name}: ${report.requests} requests in ${(report.elapsedMs / 1000).toFixed(1)} s ` +
          `(${Math.round(report.requests / (report.elapsedMs / 1000))}/s), ${report.failures.length} failed, ${report.orders.length} orders`,
      );
      assert.deepEqual(
        report.failures.slice(0, 5),
        [],
        `${name}: ${report.failures.length} of ${report.requests} requests failed`,
      );
      assert.ok(report.orders.length > 0, `${name}: orders were placed`);
      return result;
    };

    await t.test('a rolling restart replaces every worker and fails no request', async () => {
      const before = await platform.livePids(A.id);
      await underLoad('rolling restart', () => platform.cli(['restart', A.id]));
      const after = await platform.livePids(A.id);
      assert.equal(after.length, A.workers);
      assert.equal(after.filter((pid) => before.includes(pid)).length, 0, 'every worker was replaced');
    });

    await t.test(
      'SIGHUP to the platform restarts every store one worker at a time, failing no request',
      async () => {
        const before = await platform.livePids(A.id);
        await underLoad('SIGHUP', async () => {
          platform.process.signal('SIGHUP');
          await platform.process.waitFor(/Reload done in/, 300_000);
        });
        const after = await platform.livePids(A.id);
        assert.equal(after.filter((pid) => before.includes(pid)).length, 0);
        // The reload restarted B too (one worker at a time): its workers are new from here on.
        pidsB.splice(0, pidsB.length, ...(await platform.livePids(B.id)));
      },
    );

    await t.test(
      'a blue-green deploy under load fails no request and switches to the new release',
      async () => {
        const release = linkedRelease(t, '0.2.0-next');
        const output = (await underLoad('deploy', () =>
          platform.cli(['deploy', A.id, '--version', release]),
        )) as {
          stdout: string;
        };
        for (const step of [
          'checking migrations',
          'migrating the database',
          'starting 2 worker',
          'smoke test on green',
          'switched',
          'draining blue',
        ])
          assert.match(output.stdout, new RegExp(step));
        for (const line of output.stdout.trim().split('\n')) t.diagnostic(`deploy | ${line}`);
        const switchAfter = output.stdout.match(/switched ([\d.]+) s after the start/);
        assert.ok(switchAfter);
        t.diagnostic(`deploy: the gateway switched ${switchAfter[1]} s after the deploy started`);
        const store = (await platform.status()).find((s) => s.id === A.id)!;
        assert.equal(store.active, 'green');
        assert.equal(store.slots.find((s) => s.live)?.version, '0.2.0-next');
      },
    );

    await t.test(
      'a rollback under load fails no request and is back on the previous release at once',
      async () => {
        const output = (await underLoad('rollback', () => platform.cli(['rollback', A.id]))) as {
          stdout: string;
        };
        for (const line of output.stdout.trim().split('\n')) t.diagnostic(`rollback | ${line}`);
        assert.match(output.stdout, /blue \(current\) is warm/);
        const store = (await platform.status()).find((s) => s.id === A.id)!;
        assert.equal(store.active, 'blue');
        assert.equal(store.slots.find((s) => s.live)?.version, '0.1.0');
      },
    );

    await t.test('every order a shopper was told of exists once, and no other order appeared', async () => {
      const told = phases.flatMap((p) => p.report.orders);
      assert.equal(new Set(told).size, told.length, 'no order id was answered twice');
      const database = await connectStoreDatabase(platform, A);
      try {
        const { rows } = await database.query<{ id: string }>(
          'select id from orders.orders where email <> $1',
          [SMOKE_EMAIL],
        );
        const stored = rows.map((r) => r.id).sort();
        assert.deepEqual(stored, [...told].sort());
        const smoke = await database.query<{ status: string }>(
          'select status from orders.orders where email = $1',
          [SMOKE_EMAIL],
        );
        assert.ok(smoke.rows.length >= 1, 'the deploy placed a smoke-test order');
        assert.ok(
          smoke.rows.every((r) => r.status === 'cancelled'),
          'smoke-test orders are cancelled',
        );
      } finally {
        await database.end();
      }
    });

    await t.test('a release that fails its smoke test is not switched to: blue keeps serving', async () => {
      const live = await platform.livePids(A.id);
      const result = await platform.cli(['deploy', A.id, '--version', brokenRelease(t)], true);
      assert.notEqual(result.code, 0);
      assert.match(
        result.stderr,
        /deploy aborted, blue still serves: smoke test: GET \/api\/catalogue\/products answered 500/,
      );
      assert.deepEqual((await platform.livePids(A.id)).sort(), live.sort());
      const store = (await platform.status()).find((s) => s.id === A.id)!;
      assert.equal(store.active, 'blue');
      assert.equal(
        store.slots.filter((s) => !s.live && s.version === '9.9.9-broken').length,
        0,
        'the broken slot is stopped',
      );
      const answer = await request(`${platform.url}/api/catalogue/products?limit=1`, { headers: hostA });
      assert.equal(answer.statusCode, 200);
      await answer.body.dump();
    });

    await t.test(
      'a migration that drops a column the live release uses is refused before anything runs',
      async () => {
        const result = await platform.cli(['deploy', A.id, '--version', contractingRelease(t)], true);
        assert.notEqual(result.code, 0);
        assert.match(
          result.stderr,
          /deploy refused: .*9001-drop-compare-at-price\.ts drops column "compare_at_price", which the live release still uses/,
        );
        const database = await connectStoreDatabase(platform, A);
        try {
          const column = await database.query(
            "select 1 from information_schema.columns where table_schema = 'catalogue' and table_name = 'variants' and column_name = 'compare_at_price'",
          );
          assert.equal(column.rows.length, 1, 'the column is still there');
        } finally {
          await database.end();
        }
      },
    );

    await t.test('store B was never touched: the same worker processes throughout', async () => {
      assert.deepEqual((await platform.livePids(B.id)).sort(), pidsB.sort());
    });
  },
);

export type { TestPlatform };
