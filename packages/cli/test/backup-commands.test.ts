import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { restoreEmbeddedDatabase } from '@shopstack/kernel';
import { pgliteTemplate } from '@shopstack/kernel/testing';
import { PlatformLayout, StoreRegistry } from '@shopstack/platform';
import { runCli, tempDir } from './cli-process.js';

// The backup commands' surface: what they print, their options and their one-line refusals. The
// restore drills (backup-drill-*.test.ts) check what a restore brings back.

/** A platform directory with an embedded store `shop` (a fresh database, an uploaded file). */
async function platform(
  t: TestContext,
): Promise<{ dir: string; layout: PlatformLayout; registry: StoreRegistry }> {
  const dir = tempDir('backup-commands');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const layout = new PlatformLayout(dir);
  const registry = new StoreRegistry(layout);
  await registry.create({ id: 'shop', name: 'Shop', domains: ['shop.example'], currency: 'EUR' });
  await restoreEmbeddedDatabase(await pgliteTemplate(), path.join(layout.storeDir('shop'), 'database'));
  mkdirSync(path.join(layout.storeDir('shop'), 'uploads', 'images'), { recursive: true });
  writeFileSync(path.join(layout.storeDir('shop'), 'uploads', 'images', 'a.webp'), 'image');
  return { dir, layout, registry };
}

function assertOneLineFailure(result: { code: number | null; stderr: string }, message: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^shopstack: /);
  assert.match(lines[0]!, message);
}

test('backup prints where the backup went, its parts with sizes and the time; backups and backup --list list it', async (t) => {
  const { dir, layout } = await platform(t);
  const none = await runCli(['backups', 'shop', '--dir', dir]);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /^Store shop has no backups here yet: take one with "shopstack backup shop"\.$/m);

  const backup = await runCli(['backup', 'shop', '--dir', dir]);
  assert.equal(backup.code, 0, backup.stderr);
  const id = backup.stdout.match(/^Backup (\d{8}T\d{6}Z) of store shop \(local\): (.+)$/m);
  assert.ok(id, backup.stdout);
  assert.equal(id[2], `${path.join(layout.backupsDir, 'shop', id[1]!)}${path.sep}`);
  assert.match(backup.stdout, /^ {2}database +database\.tar\.gz +\d+\.\d MB +sha256 [0-9a-f]{16}…$/m);
  assert.match(backup.stdout, /^ {2}uploads +uploads\.tar\.gz +\d+ B +sha256 [0-9a-f]{16}…$/m);
  assert.match(backup.stdout, /^ {2}total \d+\.\d MB in \d+\.\d s$/m);

  const [listed, listedJson, viaBackup] = await Promise.all([
    runCli(['backups', 'shop', '--dir', dir]),
    runCli(['backups', 'shop', '--json', '--dir', dir]),
    runCli(['backup', 'shop', '--list', '--dir', dir]),
  ]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(
    listed.stdout,
    new RegExp(`^${id[1]} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d+\\.\\d MB  embedded  `, 'm'),
  );
  assert.equal(viaBackup.stdout, listed.stdout);
  const [entry] = JSON.parse(listedJson.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(
    { id: entry!.id, complete: entry!.complete, databaseKind: entry!.databaseKind, target: entry!.target },
    { id: id[1], complete: true, databaseKind: 'embedded', target: 'local' },
  );
});

test('backup --prune deletes what the retention policy no longer keeps, never the newest', async (t) => {
  const { dir, registry } = await platform(t);
  registry.update('shop', (r) => ({ ...r, backup: { ...r.backup, keepDaily: 0, keepWeekly: 0 } }));
  const first = await runCli(['backup', 'shop', '--json', '--dir', dir]);
  assert.equal(first.code, 0, first.stderr);
  const firstId = (JSON.parse(first.stdout) as { id: string }).id;
  const second = await runCli(['backup', 'shop', '--prune', '--dir', dir]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(
    second.stdout,
    new RegExp(`^Pruned 1 backup\\(s\\) the retention policy no longer keeps: ${firstId}$`, 'm'),
  );
  const listed = JSON.parse((await runCli(['backups', 'shop', '--json', '--dir', dir])).stdout) as unknown[];
  assert.equal(listed.length, 1);
});

test('store remove takes a final backup, from which restore --as brings the store back', async (t) => {
  const { dir, layout, registry } = await platform(t);
  const removed = await runCli(['store', 'remove', 'shop', '--yes', '--dir', dir]);
  assert.equal(removed.code, 0, removed.stderr);
  const location = removed.stdout.match(/^Final backup: (.+)$/m)?.[1];
  assert.ok(location && existsSync(path.join(location, 'manifest.json')), removed.stdout);
  assert.equal(registry.has('shop'), false);

  const restored = await runCli(['restore', 'shop', 'latest', '--as', 'shop', '--dir', dir]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /^Restored backup \S+ into store shop \(database: embedded database\)/m);
  assert.deepEqual(registry.get('shop').domains, [], 'a store brought back has no domains');
  assert.ok(existsSync(path.join(layout.storeDir('shop'), 'uploads', 'images', 'a.webp')));
});

test('restore refuses in one line: no backup named, nothing to confirm, an unknown backup, an unknown target', async (t) => {
  const { dir } = await platform(t);
  const [unnamed, confirm, unknown, badId, badTarget] = await Promise.all([
    runCli(['restore', 'shop', '--dir', dir]),
    runCli(['restore', 'shop', '--confirm', '--dir', dir]),
    runCli(['restore', 'shop', '20200101T000000Z', '--dir', dir]),
    runCli(['restore', 'shop', 'yesterday', '--dir', dir]),
    runCli(['backup', 'shop', '--to', 'ftp', '--dir', dir]),
  ]);
  assertOneLineFailure(unnamed, /Name the backup to restore: an id from "shopstack backups shop", or latest/);
  assertOneLineFailure(confirm, /Store shop has no restore waiting to be confirmed or undone/);
  assertOneLineFailure(
    unknown,
    /Backup 20200101T000000Z of store shop has no manifest\.json at .*: it is missing/,
  );
  assertOneLineFailure(
    badId,
    /"yesterday" is not a backup id \(such as 20261201T061500Z\), "latest" or a backup directory/,
  );
  assert.equal(badTarget.code, 1);
  assert.match(badTarget.stderr, /argument 'ftp' is invalid\. Allowed choices are local, s3/);
});
