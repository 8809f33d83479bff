import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { actAs, TEST_SERVICE_SECRET } from '@shopstack/kernel/testing';
import { drillStore } from '../test/backup-support.js';
import { runCli, startCli } from '../test/cli-process.js';

// An embedded store served by a running platform: its database process holds the data directory,
// so the backup must come through the platform's control socket, and a restore must make the
// platform reopen the store on the restored database.

test('a running embedded store is backed up through the platform and reopened on the restored database', async (t) => {
  const store = await drillStore(t, 'embedded', 5);
  const { id, dir } = store;
  const platform = startCli(['platform', '--dir', dir, '--port', '0', '--workers', '1'], {
    HOST: '127.0.0.1',
    // The platform gives its stores' processes its secret: the test's, so the test can act as staff.
    SHOPSTACK_SERVICE_SECRET: TEST_SERVICE_SECRET,
  });
  t.after(() => platform.kill());
  const gateway = (await platform.waitFor(/Gateway listening on (http:\/\/[\d.:]+):/, 120_000))[1]!;
  const api = `${gateway}/s/${id}/api/catalogue`;
  const total = async () => {
    const res = await fetch(`${api}/products?limit=1`);
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { total: number }).total;
  };
  const atBackup = await total();

  const backup = await runCli(['backup', id, '--dir', dir]);
  assert.equal(backup.code, 0, `${backup.stdout}\n${backup.stderr}`);
  const backupId = backup.stdout.match(/^Backup (\S+) of store /m)?.[1];
  assert.ok(backupId, backup.stdout);

  const token = await actAs({ kind: 'staff', id: 'drill-admin', role: 'admin' }, 'catalogue', {
    storeId: id,
  });
  const created = await fetch(`${api}/admin/products`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Made after the backup',
      status: 'published',
      variants: [{ sku: 'AFTER-1', price: { amount: 990, currency: 'EUR' }, onHand: 3 }],
    }),
  });
  assert.equal(created.status, 201, await created.text());
  assert.equal(await total(), atBackup + 1);

  const restore = await runCli(['restore', id, backupId, '--dir', dir]);
  assert.equal(restore.code, 0, `${restore.stdout}\n${restore.stderr}`);
  assert.match(restore.stdout, /platform: .*stopped/);
  assert.match(restore.stdout, /The running platform reopened it\./);
  assert.equal(await total(), atBackup, 'the store serves the restored catalogue');

  const previous = path.join(store.layout.storeDir(id), 'database');
  const confirm = await runCli(['restore', id, '--confirm', '--dir', dir]);
  assert.equal(confirm.code, 0, confirm.stderr);
  assert.equal(existsSync(previous), false, 'the platform let go of the previous database, which is deleted');
  assert.equal(await total(), atBackup, 'and the store still serves');

  platform.signal('SIGTERM');
  assert.equal(await platform.exited, 0, platform.stderr);
});
