import { environmentVariables } from '@shopstack/kernel';
import { DatabaseProcess } from './database-process.js';
import type { PlatformLayout } from './layout.js';
import type { Release } from './release.js';
import type { StoreRecord } from './store-record.js';
import type { StoreRegistry } from './store-registry.js';
import { WorkerProcess } from './worker-process.js';

export type SlotName = 'blue' | 'green';

/** Settings of the platform that every store group follows. */
export interface GroupSettings {
  /** Workers of a store that does not name its count. */
  defaultWorkers: number;
  /** How long a new worker may take to be ready. */
  readyTimeoutMs: number;
  /** How long a worker taken out of rotation may take to finish its requests. */
  drainTimeoutMs: number;
  /** How long a worker asked to stop may take before it is killed. */
  stopTimeoutMs: number;
  /** Longest wait between restarts of a worker that keeps crashing. */
  maxBackoffMs: number;
  /** The `shopstack` entry that runs database processes (the platform's own release). */
  databaseEntry: string;
  /** The secret every process of a store shares (service credentials; the deploy smoke test uses it). */
  serviceSecret: string;
  /** How long the slot a deploy or rollback switched away from stays warm for a quick rollback. */
  keepWarmMs: number;
  /** Where the platform writes what its processes print. */
  output: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * Node flags of a worker unless SHOPSTACK_WORKER_NODE_OPTIONS says otherwise. V8's young generation
 * grows to tens of MB per space while a worker starts (schemas compile, modules load) and is never
 * given back: capping its semi-spaces at 1 MB keeps an idle worker near 200 MB instead of 330 MB
 * resident, at the cost of more frequent (short) collections.
 */
export const WORKER_NODE_OPTIONS = ['--max-semi-space-size=1'];

/** The Node flags workers run with: SHOPSTACK_WORKER_NODE_OPTIONS (space-separated), else the defaults. */
export function workerNodeOptions(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.SHOPSTACK_WORKER_NODE_OPTIONS;
  return configured === undefined ? WORKER_NODE_OPTIONS : configured.split(/\s+/).filter(Boolean);
}

/** Platform settings a worker must not inherit: each store's own come from its configuration file. */
const PASSED_THROUGH = new Set([
  'SHOPSTACK_ENV',
  'LOG_LEVEL',
  'SHOPSTACK_SERVICE_SECRET',
  'SHOPSTACK_ADMIN_TOKEN',
  'SHOPSTACK_PAYMENT_WEBHOOK_SECRET',
  'SHOPSTACK_DRAIN_DELAY_MS',
  'SHOPSTACK_SHUTDOWN_TIMEOUT_MS',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
]);
const WITHHELD = new Set([
  ...environmentVariables.map((v) => v.name).filter((name) => !PASSED_THROUGH.has(name)),
  'SHOPSTACK_CONFIG',
  'SHOPSTACK_PLATFORM_DIR',
  'NODE_OPTIONS',
]);

/** The environment of one of a store's processes: the platform's, less the settings each store has of its own. */
export function storeProcessEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!WITHHELD.has(key)) env[key] = value;
  return { ...env, ...vars };
}

/** The workers of one release serving one store: a deploy slot. */
export class Slot {
  workers: WorkerProcess[] = [];
  private next = 0;
  /** Crashes in a row, for the backoff before the next restart. */
  crashes = 0;
  startedAt = Date.now();

  constructor(
    readonly name: SlotName,
    public release: Release,
  ) {}

  /** The next ready worker, round robin; undefined when none is ready. */
  pick(): WorkerProcess | undefined {
    const ready = this.workers.filter((w) => w.state === 'ready');
    if (ready.length === 0) return undefined;
    this.next = (this.next + 1) % ready.length;
    return ready[this.next];
  }

  get readyCount(): number {
    return this.workers.filter((w) => w.state === 'ready').length;
  }
}

export interface StepReport {
  (message: string): void;
}

/**
 * One store on the platform: its database process (embedded stores), and its two deploy slots of
 * worker processes, one of them live. Workers that die are started again with growing delays.
 */
export class StoreGroup {
  database: DatabaseProcess | undefined;
  readonly slots: Record<SlotName, Slot | undefined> = { blue: undefined, green: undefined };
  active: SlotName = 'blue';
  private stopped = false;
  private databaseCrashes = 0;
  private retirement: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    public record: StoreRecord,
    private readonly layout: PlatformLayout,
    private readonly registry: StoreRegistry,
    private readonly settings: GroupSettings,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get workerCount(): number {
    return this.record.workers ?? this.settings.defaultWorkers;
  }

  get liveSlot(): Slot | undefined {
    return this.slots[this.active];
  }

  get idleSlotName(): SlotName {
    return this.active === 'blue' ? 'green' : 'blue';
  }

  /** A worker of the live slot to send a request to, if one is ready. */
  pick(): WorkerProcess | undefined {
    return this.liveSlot?.pick();
  }

  /** Starts the database process (embedded stores) and the live slot's workers on a release. */
  async start(release: Release, report: StepReport = () => {}): Promise<void> {
    this.stopped = false;
    if (this.record.database.kind === 'embedded') await this.startDatabase();
    await this.startSlot(this.active, release, report);
  }

  private async startDatabase(): Promise<void> {
    const configFile = this.registry.writeProcessConfig(this.record);
    const database = new DatabaseProcess({
      entry: this.settings.databaseEntry,
      cwd: this.layout.storeDir(this.id),
      env: storeProcessEnv({
        SHOPSTACK_CONFIG: configFile,
        SHOPSTACK_DB_SOCKET: this.layout.databaseSocketDir(this.id),
      }),
      onOutput: this.settings.output,
      onUnexpectedExit: (code, signal) => {
        this.settings.output(
          `platform: the database process of store ${this.id} ended (code ${code}, signal ${signal}); starting it again`,
          'stderr',
        );
        this.later(() => this.restartDatabase(), this.backoff(++this.databaseCrashes));
      },
    });
    this.database = database;
    await database.ready(120_000);
    this.databaseCrashes = 0;
  }

  private async restartDatabase(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.startDatabase();
    } catch (err) {
      this.settings.output(`platform: store ${this.id}: ${(err as Error).message}`, 'stderr');
    }
  }

  /** Starts a slot's workers on a release: the first alone (it applies any migration), then the rest together. */
  async startSlot(
    name: SlotName,
    release: Release,
    report: StepReport = () => {},
    count = this.workerCount,
  ): Promise<Slot> {
    const slot = new Slot(name, release);
    this.slots[name] = slot;
    const first = await this.startWorker(slot);
    report(`worker ${first.pid} ready`);
    const rest = await Promise.all(Array.from({ length: count - 1 }, () => this.startWorker(slot)));
    for (const worker of rest) report(`worker ${worker.pid} ready`);
    return slot;
  }

  /** Starts one worker in a slot and waits until it is ready; it then takes requests. */
  async startWorker(slot: Slot): Promise<WorkerProcess> {
    const configFile = this.registry.writeProcessConfig(this.record);
    const worker: WorkerProcess = new WorkerProcess({
      entry: slot.release.entry,
      args: ['worker'],
      nodeOptions: workerNodeOptions(),
      cwd: this.layout.storeDir(this.id),
      env: storeProcessEnv({
        SHOPSTACK_CONFIG: configFile,
        HOST: '127.0.0.1',
        PORT: '0',
        SHOPSTACK_TRUST_PROXY: 'true',
        SHOPSTACK_SERVICE_SECRET: this.settings.serviceSecret,
        SHOPSTACK_SLOT: slot.name,
        SHOPSTACK_RELEASE: slot.release.name,
        ...(this.record.database.kind === 'embedded'
          ? { SHOPSTACK_DB_SOCKET: this.layout.databaseSocketDir(this.id) }
          : {}),
      }),
      onOutput: this.settings.output,
      onMessage: (message) => this.passOn(worker, message),
      onUnexpectedExit: (code, signal) => this.workerDied(slot, worker, code, signal),
    });
    slot.workers.push(worker);
    try {
      await worker.ready(this.settings.readyTimeoutMs);
    } catch (err) {
      slot.workers = slot.workers.filter((w) => w !== worker);
      throw err;
    }
    return worker;
  }

  /** A notification from one worker goes to every other worker of the store (both slots). */
  private passOn(from: WorkerProcess, message: unknown): void {
    if ((message as { type?: unknown } | null)?.type !== 'shopstack:notify') return;
    for (const slot of [this.slots.blue, this.slots.green])
      for (const worker of slot?.workers ?? []) if (worker !== from) worker.send(message);
  }

  private workerDied(
    slot: Slot,
    worker: WorkerProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    slot.workers = slot.workers.filter((w) => w !== worker);
    if (this.stopped || this.slots[slot.name] !== slot) return;
    // A worker that ran a good while before dying does not count against the next one.
    if (Date.now() - worker.startedAt > 60_000) slot.crashes = 0;
    this.settings.output(
      `platform: worker ${worker.pid} of store ${this.id} (${slot.name}) ended (code ${code}, signal ${signal}); starting another`,
      'stderr',
    );
    this.replaceLater(slot);
  }

  /** Starts a worker in place of one that died, after a delay that grows with each crash in a row. */
  private replaceLater(slot: Slot): void {
    if (this.stopped || this.slots[slot.name] !== slot) return;
    this.later(async () => {
      if (this.stopped || this.slots[slot.name] !== slot) return;
      try {
        await this.startWorker(slot);
      } catch (err) {
        this.settings.output(`platform: store ${this.id}: ${(err as Error).message}`, 'stderr');
        this.replaceLater(slot);
      }
    }, this.backoff(++slot.crashes));
  }

  private backoff(crashes: number): number {
    return Math.min(this.settings.maxBackoffMs, 250 * 2 ** Math.max(0, crashes - 1));
  }

  private later(work: () => Promise<void>, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void work();
    }, delay);
    this.timers.add(timer);
  }

  /**
   * Replaces the live slot's workers one at a time: a new one starts and is ready before an old
   * one leaves rotation, finishes its requests and stops. The slot serves throughout.
   */
  async rollingRestart(report: StepReport = () => {}): Promise<void> {
    const slot = this.liveSlot;
    if (!slot) throw new Error(`store ${this.id} is not running`);
    const old = [...slot.workers];
    for (const worker of old) {
      const started = Date.now();
      const fresh = await this.startWorker(slot);
      slot.workers = slot.workers.filter((w) => w !== worker);
      await worker.stop(this.settings.drainTimeoutMs, this.settings.stopTimeoutMs);
      report(`worker ${worker.pid} replaced by ${fresh.pid} (${Date.now() - started} ms)`);
    }
    // Workers that crashed meanwhile were replaced by the supervisor; top up to the count.
    while (slot.workers.length < this.workerCount) await this.startWorker(slot);
  }

  /** Stops a slot (no longer live) after a while: it stays warm for a rollback until then. */
  retireLater(name: SlotName, afterMs: number): void {
    this.cancelRetirement();
    this.retirement = setTimeout(() => {
      this.retirement = undefined;
      if (this.active !== name) void this.stopSlot(name);
    }, afterMs);
  }

  /** Keeps the idle slot running (a rollback or a deploy takes it over). */
  cancelRetirement(): void {
    clearTimeout(this.retirement);
    this.retirement = undefined;
  }

  /** Takes a slot out of service: its workers finish their requests and stop. */
  async stopSlot(name: SlotName): Promise<void> {
    const slot = this.slots[name];
    if (!slot) return;
    this.slots[name] = undefined;
    const workers = slot.workers;
    slot.workers = [];
    await Promise.all(workers.map((w) => w.stop(this.settings.drainTimeoutMs, this.settings.stopTimeoutMs)));
  }

  /** Stops every worker, then the database process. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRetirement();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([this.stopSlot('blue'), this.stopSlot('green')]);
    await this.database?.stop();
  }
}
