import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import { BackupScheduler, type BackupSchedulerOptions } from '../src/backup/index.js';
import { PlatformLayout } from '../src/layout.js';
import type { StoreRecord } from '../src/store-record.js';
import { StoreRegistry } from '../src/store-registry.js';

/** A platform of the test's own with stores `daily` (06:15), `unscheduled` and `disabled` (06:15, off). */
async function platform(t: TestContext) {
  const root = mkdtempSync(path.join(tmpdir(), 'shopstack-scheduler-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const layout = new PlatformLayout(root);
  const registry = new StoreRegistry(layout);
  for (const id of ['daily', 'unscheduled', 'disabled']) {
    await registry.create({ id, name: id, domains: [], currency: 'EUR' });
  }
  const at = (record: StoreRecord) => ({ ...record, backup: { ...record.backup, at: '06:15' } });
  registry.update('daily', at);
  registry.update('disabled', (record) => ({ ...at(record), enabled: false }));
  return { layout, registry };
}

/** A scheduler on a clock the test moves, recording each backup and prune as "<store> <time>". */
async function scheduler(t: TestContext, options: Partial<BackupSchedulerOptions> = {}) {
  const { layout, registry } = await platform(t);
  let clock = new Date('2026-12-01T05:00:00Z');
  const calls: string[] = [];
  const stamp = () => clock.toISOString().slice(5, 16);
  const scheduler = new BackupScheduler({
    layout,
    registry,
    now: () => clock,
    backUp: async (record) => void calls.push(`backup ${record.id} ${stamp()}`),
    prune: async (record) => void calls.push(`prune ${record.id} ${stamp()}`),
    lastBackupAt: async () => undefined,
    ...options,
  });
  const at = async (time: string) => {
    clock = new Date(`${time}:00Z`);
    await scheduler.tick();
  };
  return { scheduler, calls, at, registry };
}

test('a store with a backup time is backed up once a day at the first look after it, then pruned', async (t) => {
  const { calls, at } = await scheduler(t);
  await at('2026-12-01T06:14');
  assert.deepEqual(calls, [], 'not before its time');
  await at('2026-12-01T06:15');
  await at('2026-12-01T06:16');
  await at('2026-12-01T23:59');
  assert.deepEqual(calls, ['backup daily 12-01T06:15', 'prune daily 12-01T06:15'], 'once that day');
  await at('2026-12-02T06:00');
  await at('2026-12-02T07:42');
  await at('2026-12-02T08:00');
  assert.deepEqual(
    calls.slice(2),
    ['backup daily 12-02T07:42', 'prune daily 12-02T07:42'],
    'late is once too',
  );
});

test('stores without a backup time and disabled stores are never backed up by the schedule', async (t) => {
  const { calls, at } = await scheduler(t);
  for (const time of ['2026-12-01T06:15', '2026-12-01T12:00', '2026-12-02T06:15']) await at(time);
  assert.ok(
    calls.every((call) => call.includes(' daily ')),
    calls.join('; '),
  );
});

test('a store backed up today already (before a restart) is not backed up again that day', async (t) => {
  const { calls, at } = await scheduler(t, { lastBackupAt: async () => new Date('2026-12-01T06:15:30Z') });
  await at('2026-12-01T09:00');
  assert.deepEqual(calls, []);
  await at('2026-12-02T06:15');
  assert.deepEqual(calls, ['backup daily 12-02T06:15', 'prune daily 12-02T06:15']);
});

test('a failed backup is reported, not pruned after, and tried again after the retry delay', async (t) => {
  let fail = true;
  const failures: string[] = [];
  const {
    scheduler: s,
    calls,
    at,
  } = await scheduler(t, {
    retryAfterMs: 30 * 60_000,
    backUp: async (record) => {
      if (fail) throw new Error('disk full');
      calls.push(`backup ${record.id}`);
    },
  });
  // Started for its reports; its own timer (a minute) does not fire during the test.
  s.start({ failed: (store, err) => failures.push(`${store}: ${err.message}`) });
  t.after(() => s.stop());
  await at('2026-12-01T06:15');
  assert.deepEqual(failures, ['daily: disk full']);
  assert.deepEqual(calls, [], 'nothing pruned after a failed backup');
  await at('2026-12-01T06:30');
  assert.deepEqual(failures, ['daily: disk full'], 'not tried again within the retry delay');
  fail = false;
  await at('2026-12-01T06:46');
  assert.deepEqual(calls, ['backup daily', 'prune daily 12-01T06:46']);
  assert.equal(failures.length, 1);
});

test('started, it looks every interval by itself; stopped, it waits for the backup under way', async (t) => {
  const { layout, registry } = await platform(t);
  let release: () => void = () => {};
  let backups = 0;
  const scheduler = new BackupScheduler({
    layout,
    registry,
    intervalMs: 20,
    now: () => new Date('2026-12-01T07:00:00Z'),
    lastBackupAt: async () => undefined,
    backUp: () =>
      new Promise<void>((resolve) => {
        backups++;
        release = resolve;
      }),
    prune: async () => {},
  });
  scheduler.start();
  for (let i = 0; i < 100 && backups === 0; i++) await sleep(10);
  assert.equal(backups, 1, 'the timer found the due store');
  await sleep(60);
  assert.equal(backups, 1, 'a look still busy is not doubled');
  let stopped = false;
  const stopping = scheduler.stop().then(() => (stopped = true));
  await sleep(30);
  assert.equal(stopped, false, 'stop waits for the backup under way');
  release();
  await stopping;
  await sleep(60);
  assert.equal(backups, 1, 'nothing runs after stop');
});
