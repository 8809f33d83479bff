import type { PlatformLayout } from '../layout.js';
import type { StoreRecord } from '../store-record.js';
import { StoreRegistry } from '../store-registry.js';
import { createBackup } from './create-backup.js';
import { listBackups } from './list-backups.js';
import { pruneBackups } from './prune-backups.js';

export interface BackupSchedulerOptions {
  layout: PlatformLayout;
  registry?: StoreRegistry;
  /** Backs a store up (default: createBackup to the target of its policy, over the control socket). */
  backUp?: (record: StoreRecord) => Promise<unknown>;
  /** Deletes the backups its retention policy no longer keeps (default: pruneBackups). */
  prune?: (record: StoreRecord) => Promise<unknown>;
  /**
   * When the store's newest backup was taken (default: read from its target), so that a platform
   * started again later in the day does not take the day's backup twice.
   */
  lastBackupAt?: (record: StoreRecord) => Promise<Date | undefined>;
  /** S3_* variables for stores whose backups go to S3 (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The clock (tests set it). */
  now?: () => Date;
  /** How often it looks for stores that are due (default: a minute). */
  intervalMs?: number;
  /** How long after a failed backup it tries again (default: 15 minutes). */
  retryAfterMs?: number;
}

/** What a running scheduler tells its owner. */
export interface BackupSchedulerEvents {
  report?: (message: string) => void;
  failed?: (store: string, err: Error) => void;
}

/** Today's (UTC) instant of a time of day HH:MM. */
function todayAt(hhmm: string, now: Date): number {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes);
}

/**
 * Backs up each enabled store whose policy has a time (`backup.at`, HH:MM UTC) once a day, at the
 * first look after that time, then prunes its backups. Stores are taken one after another; a look
 * that is still busy when the next is due is not doubled.
 */
export class BackupScheduler {
  private readonly registry: StoreRegistry;
  private readonly backUp: (record: StoreRecord) => Promise<unknown>;
  private readonly prune: (record: StoreRecord) => Promise<unknown>;
  private readonly lastBackupAt: (record: StoreRecord) => Promise<Date | undefined>;
  private readonly now: () => Date;
  /** Per store, the time of its last backup this scheduler knows of (ms). */
  private readonly lastBackup = new Map<string, number>();
  private readonly failedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private events: BackupSchedulerEvents = {};

  constructor(private readonly options: BackupSchedulerOptions) {
    const { layout, env } = options;
    this.registry = options.registry ?? new StoreRegistry(layout);
    this.backUp = options.backUp ?? ((record) => createBackup({ layout, store: record.id, env }));
    this.prune = options.prune ?? ((record) => pruneBackups({ layout, store: record.id, env }));
    this.lastBackupAt =
      options.lastBackupAt ??
      (async (record) => {
        const newest = (await listBackups({ layout, store: record.id, env }))
          .filter((b) => b.complete)
          .at(-1);
        return newest && new Date(newest.createdAt);
      });
    this.now = options.now ?? (() => new Date());
  }

  /** Looks for due stores every interval until stop(). */
  start(events: BackupSchedulerEvents = {}): void {
    this.events = events;
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 60_000);
    // Backups alone do not keep a process alive.
    this.timer.unref();
  }

  /** Stops looking and waits for a backup in progress to end. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One look: backs up (and prunes) every store that is due. A look already running is joined, not doubled. */
  tick(): Promise<void> {
    this.running ??= this.backUpDueStores().finally(() => (this.running = undefined));
    return this.running;
  }

  private async backUpDueStores(): Promise<void> {
    let records: StoreRecord[];
    try {
      records = this.registry.list();
    } catch (err) {
      this.events.failed?.('*', err as Error);
      return;
    }
    for (const record of records) {
      if (!record.enabled || !record.backup.at) continue;
      const now = this.now().getTime();
      const due = todayAt(record.backup.at, new Date(now));
      if (now < due || (await this.lastBackupOf(record)) >= due) continue;
      const failed = this.failedAt.get(record.id);
      if (failed !== undefined && now - failed < (this.options.retryAfterMs ?? 15 * 60_000)) continue;
      try {
        await this.backUp(record);
      } catch (err) {
        this.failedAt.set(record.id, now);
        this.events.failed?.(record.id, err as Error);
        continue;
      }
      this.failedAt.delete(record.id);
      this.lastBackup.set(record.id, now);
      this.events.report?.(`${record.id}: scheduled backup taken`);
      try {
        await this.prune(record);
      } catch (err) {
        this.events.failed?.(record.id, err as Error);
      }
    }
  }

  private async lastBackupOf(record: StoreRecord): Promise<number> {
    const known = this.lastBackup.get(record.id);
    if (known !== undefined) return known;
    let last = 0;
    try {
      last = (await this.lastBackupAt(record))?.getTime() ?? 0;
    } catch (err) {
      // Not knowing means backing up: one backup too many beats one too few.
      this.events.failed?.(record.id, err as Error);
    }
    this.lastBackup.set(record.id, last);
    return last;
  }
}
