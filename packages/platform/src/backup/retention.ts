import type { BackupPolicy } from '../store-record.js';
import { compareBackupIds } from './backup-id.js';

/** What retention needs to know of a backup. */
export interface RetainedBackup {
  id: string;
  time: Date;
  /** A backup without its manifest did not finish (or is still being written). */
  complete: boolean;
}

/** The UTC day of a time: 2026-12-01. */
function dayOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** The ISO 8601 week of a time (UTC): 2026-W49. Weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekOf(time: Date): string {
  const date = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  const weekday = date.getUTCDay() || 7;
  // The Thursday of the same week decides the year the week belongs to.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The newest backup of each of the `count` newest periods that have one. */
function newestPerPeriod(
  newestFirst: RetainedBackup[],
  periodOf: (time: Date) => string,
  count: number,
): string[] {
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const backup of newestFirst) {
    const period = periodOf(backup.time);
    if (seen.has(period)) continue;
    if (seen.size === count) break;
    seen.add(period);
    kept.push(backup.id);
  }
  return kept;
}

/**
 * The backups a retention policy deletes, oldest first. Kept: the newest complete backup of each
 * of the last `keepDaily` days and of each of the last `keepWeekly` ISO weeks (UTC), counting only
 * days and weeks that have a backup (so a store whose backups stopped keeps its last ones), and
 * always the newest complete backup. An incomplete backup older than the newest complete one died
 * half way and is deleted; a newer one may still be being written and is kept.
 */
export function backupsToDelete(
  backups: readonly RetainedBackup[],
  policy: Pick<BackupPolicy, 'keepDaily' | 'keepWeekly'>,
): string[] {
  const newestFirst = [...backups].sort((a, b) => compareBackupIds(b.id, a.id));
  const complete = newestFirst.filter((b) => b.complete);
  const newest = complete[0];
  if (!newest) return [];
  const keep = new Set<string>([
    newest.id,
    ...newestPerPeriod(complete, dayOf, policy.keepDaily),
    ...newestPerPeriod(complete, isoWeekOf, policy.keepWeekly),
  ]);
  return newestFirst
    .filter((b) => (b.complete ? !keep.has(b.id) : compareBackupIds(b.id, newest.id) < 0))
    .map((b) => b.id)
    .reverse();
}
