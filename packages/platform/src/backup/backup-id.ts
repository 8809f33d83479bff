/** A backup's id: its UTC start time to the second (20261201T061500Z), then -2, -3... for more in that second. */
const BACKUP_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-(\d{1,3}))?$/;

/** The id of a backup started at `at`; ids sort as their times do. */
export function backupIdAt(at: Date, sequence = 1): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
  return sequence > 1 ? `${stamp}-${sequence}` : stamp;
}

/** Whether a string is a backup id. */
export function isBackupId(value: string): boolean {
  return BACKUP_ID.test(value);
}

/** The time a backup id names; undefined for something that is not a backup id. */
export function backupTime(id: string): Date | undefined {
  const match = BACKUP_ID.exec(id);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** Orders backup ids by time, then by their number within the second (-2 after the first, -10 after -9). */
export function compareBackupIds(a: string, b: string): number {
  const [timeA = a, seqA = '1'] = a.split('-');
  const [timeB = b, seqB = '1'] = b.split('-');
  return timeA < timeB ? -1 : timeA > timeB ? 1 : Number(seqA) - Number(seqB);
}

/** A backup id as a name part of databases and directories: lower case, letters and digits (20261201t061500z2). */
export function backupIdSlug(id: string): string {
  return id.toLowerCase().replaceAll('-', '');
}
