import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  backupIdAt,
  backupsToDelete,
  backupTime,
  compareBackupIds,
  isoWeekOf,
  type RetainedBackup,
} from '../src/backup/index.js';

/** Backups taken at the given UTC times ("2026-12-01T06:15"), complete unless marked with a trailing "?". */
function backups(...times: string[]): RetainedBackup[] {
  return times.map((time) => {
    const at = new Date(`${time.replace(/\?$/, '')}:00Z`);
    return { id: backupIdAt(at), time: at, complete: !time.endsWith('?') };
  });
}

const ids = (...times: string[]) => backups(...times).map((b) => b.id);

test('backup ids name their UTC second, sort as their times do, and read back as the time', () => {
  const at = new Date('2026-12-01T06:15:09.123Z');
  assert.equal(backupIdAt(at), '20261201T061509Z');
  assert.equal(backupIdAt(at, 2), '20261201T061509Z-2');
  assert.deepEqual(backupTime('20261201T061509Z-2'), new Date('2026-12-01T06:15:09Z'));
  assert.equal(backupTime('2026-12-01'), undefined);
  const sorted = ['20261201T061509Z-10', '20261201T061510Z', '20261201T061509Z', '20261201T061509Z-2'].sort(
    compareBackupIds,
  );
  assert.deepEqual(sorted, [
    '20261201T061509Z',
    '20261201T061509Z-2',
    '20261201T061509Z-10',
    '20261201T061510Z',
  ]);
});

test('ISO weeks start on Monday and belong to the year of their Thursday', () => {
  assert.equal(isoWeekOf(new Date('2021-01-03T23:59:00Z')), '2020-W53');
  assert.equal(isoWeekOf(new Date('2021-01-04T00:00:00Z')), '2021-W01');
  assert.equal(isoWeekOf(new Date('2024-12-30T12:00:00Z')), '2025-W01');
  assert.equal(isoWeekOf(new Date('2026-12-01T06:15:00Z')), '2026-W49');
  assert.equal(isoWeekOf(new Date('2027-01-01T06:15:00Z')), '2026-W53');
});

test('daily retention keeps the newest backup of each of the last keepDaily days and deletes the rest, oldest first', () => {
  const all = backups(
    '2026-11-27T06:15',
    '2026-11-28T06:15',
    '2026-11-29T06:15',
    '2026-11-30T06:15',
    '2026-11-30T18:00',
    '2026-12-01T06:15',
    '2026-12-01T09:30',
  );
  assert.deepEqual(
    backupsToDelete(all, { keepDaily: 3, keepWeekly: 0 }),
    ids('2026-11-27T06:15', '2026-11-28T06:15', '2026-11-30T06:15', '2026-12-01T06:15'),
  );
});

test('weekly retention keeps the newest backup of each of the last keepWeekly ISO weeks', () => {
  // Mondays to Sundays: 2026-11-16..22 (W47), 23..29 (W48), 30..12-06 (W49).
  const all = backups(
    '2026-11-10T06:15',
    '2026-11-17T06:15',
    '2026-11-22T06:15',
    '2026-11-23T06:15',
    '2026-11-29T06:15',
    '2026-11-30T06:15',
    '2026-12-01T06:15',
  );
  assert.deepEqual(
    backupsToDelete(all, { keepDaily: 1, keepWeekly: 3 }),
    ids('2026-11-10T06:15', '2026-11-17T06:15', '2026-11-23T06:15', '2026-11-30T06:15'),
  );
});

test('daily and weekly retention together keep what either keeps', () => {
  const all = backups(
    '2026-11-01T06:15',
    '2026-11-08T06:15',
    '2026-11-15T06:15',
    '2026-11-28T06:15',
    '2026-11-29T06:15',
    '2026-11-30T06:15',
    '2026-12-01T06:15',
  );
  // Days keep 11-30 and 12-01; weeks keep 12-01 (W49), 11-29 (W48) and 11-15 (W46).
  assert.deepEqual(
    backupsToDelete(all, { keepDaily: 2, keepWeekly: 3 }),
    ids('2026-11-01T06:15', '2026-11-08T06:15', '2026-11-28T06:15'),
  );
});

test('only days and weeks that have a backup count, so a store whose backups stopped keeps its last ones', () => {
  const all = backups('2026-01-05T06:15', '2026-01-06T06:15', '2026-01-07T06:15', '2026-01-08T06:15');
  // Eleven months later, the last three days that had a backup still hold one each.
  assert.deepEqual(backupsToDelete(all, { keepDaily: 3, keepWeekly: 0 }), ids('2026-01-05T06:15'));
});

test('the newest backup is never deleted, even by a policy that keeps nothing', () => {
  const all = backups('2026-11-29T06:15', '2026-11-30T06:15', '2026-12-01T06:15');
  assert.deepEqual(
    backupsToDelete(all, { keepDaily: 0, keepWeekly: 0 }),
    ids('2026-11-29T06:15', '2026-11-30T06:15'),
  );
  assert.deepEqual(backupsToDelete(backups('2026-12-01T06:15'), { keepDaily: 0, keepWeekly: 0 }), []);
  assert.deepEqual(backupsToDelete([], { keepDaily: 7, keepWeekly: 4 }), []);
});

test('an incomplete backup older than the newest complete one is deleted; a newer one may still be written and stays', () => {
  const all = backups('2026-11-29T06:15?', '2026-11-30T06:15', '2026-12-01T06:15', '2026-12-01T07:00?');
  assert.deepEqual(backupsToDelete(all, { keepDaily: 7, keepWeekly: 4 }), ids('2026-11-29T06:15'));
  // Without any complete backup nothing is known to be dead: nothing is deleted.
  assert.deepEqual(backupsToDelete(backups('2026-11-29T06:15?'), { keepDaily: 0, keepWeekly: 0 }), []);
});

test('incomplete backups do not take the place of a complete one in a day', () => {
  const all = backups('2026-11-30T06:15', '2026-11-30T07:00?', '2026-12-01T06:15');
  // 11-30 keeps its complete backup; the incomplete one of that day is older than the newest complete.
  assert.deepEqual(backupsToDelete(all, { keepDaily: 2, keepWeekly: 0 }), ids('2026-11-30T07:00'));
});
