import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { BackupScheduler, createBackup } from './backup/index.js';
import { buildControlServer } from './control-server.js';
import { buildGateway, type RoutedStore, type StoreDirectory } from './gateway.js';
import type { PlatformLayout } from './layout.js';
import { currentRelease, releaseAt, type Release } from './release.js';
import { StoreGroup, type GroupSettings, type SlotName, type StepReport } from './store-group.js';
import type { StoreRecord } from './store-record.js';
import { StoreRegistry, writeFileAtomic } from './store-registry.js';

export interface PlatformOptions {
  layout: PlatformLayout;
  host: string;
  port: number;
  /** Workers of a store that does not name its count (default: one per core). */
  defaultWorkers?: number;
  readyTimeoutMs?: number;
  drainTimeoutMs?: number;
  stopTimeoutMs?: number;
  maxBackoffMs?: number;
  /** How long a slot switched away from stays warm for a quick rollback (default 10 minutes). */
  keepWarmMs?: number;
  output?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** What slots.json keeps: which slot is live and the release each slot last ran. */
export interface SlotsFile {
  active: SlotName;
  releases: Partial<Record<SlotName, { name: string; root: string }>>;
}

/** The status of one store, as `shopstack status` prints it. */
export interface StoreStatus {
  id: string;
  name: string;
  enabled: boolean;
  domains: string[];
  /** Serving: enabled, with at least one ready worker in the live slot. */
  up: boolean;
  active?: SlotName;
  database?: { pid: number; running: boolean; uptimeSeconds: number };
  slots: Array<{
    name: SlotName;
    live: boolean;
    release: string;
    version: string;
    uptimeSeconds: number;
    workers: Array<{ pid: number; state: string; port: number; inFlight: number; uptimeSeconds: number }>;
  }>;
}

/**
 * The service secret the platform gives every store's processes: SHOPSTACK_SERVICE_SECRET when set,
 * else one generated once and kept in run/service-secret, readable by the platform's user only.
 */
function platformSecret(layout: PlatformLayout): string {
  if (process.env.SHOPSTACK_SERVICE_SECRET) return process.env.SHOPSTACK_SERVICE_SECRET;
  const file = path.join(layout.root, 'run', 'service-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(36).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

/**
 * The platform on one machine: the gateway on one port, and for each enabled store a supervised
 * group of worker processes (and, for an embedded store, its database process). A control socket
 * lets the command line restart, deploy, roll back and back up a store while it runs.
 */
export class Platform {
  readonly registry: StoreRegistry;
  readonly groups = new Map<string, StoreGroup>();
  gateway: FastifyInstance | undefined;
  private control: FastifyInstance | undefined;
  private backups: BackupScheduler | undefined;
  readonly settings: GroupSettings;
  /** Stores busy with an operation (restart, deploy, ...): one at a time per store. */
  private readonly busy = new Map<string, string>();
  url = '';

  constructor(readonly options: PlatformOptions) {
    this.registry = new StoreRegistry(options.layout);
    this.settings = {
      defaultWorkers: options.defaultWorkers ?? availableParallelism(),
      readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
      drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
      stopTimeoutMs: options.stopTimeoutMs ?? 30_000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      keepWarmMs: options.keepWarmMs ?? 600_000,
      serviceSecret: platformSecret(options.layout),
      databaseEntry: currentRelease().entry,
      output:
        options.output ??
        ((line, stream) => (stream === 'stdout' ? process.stdout : process.stderr).write(`${line}\n`)),
    };
  }

  get layout(): PlatformLayout {
    return this.options.layout;
  }

  /** Starts the control socket, every enabled store, then the gateway. */
  async start(report: StepReport = () => {}): Promise<void> {
    this.control = await buildControlServer(this);
    const socket = this.layout.controlSocket;
    mkdirSync(path.dirname(socket), { recursive: true });
    rmSync(socket, { force: true });
    await this.control.listen({ path: socket });
    for (const record of this.registry.list())
      if (record.enabled) await this.startStoreOrReport(record, report);
    this.backups = new BackupScheduler({
      layout: this.layout,
      registry: this.registry,
      // A scheduled backup of a running embedded store asks its database process for the dump.
      backUp: (record) =>
        this.exclusive(record.id, 'backup', () =>
          createBackup({
            layout: this.layout,
            store: record.id,
            dumpRunning: (id, file) => this.dumpDatabase(id, file),
          }),
        ),
    });
    this.backups.start({
      report: (message) => this.settings.output(`platform: ${message}`, 'stdout'),
      failed: (store, err) =>
        this.settings.output(`platform: backup of ${store} failed: ${err.message}`, 'stderr'),
    });
    this.gateway = await buildGateway({ stores: this.directory() });
    await this.gateway.listen({ host: this.options.host, port: this.options.port });
    const address = this.gateway.server.address();
    const port = typeof address === 'object' && address ? address.port : this.options.port;
    this.url = `http://${this.options.host}:${port}`;
  }

  private directory(): StoreDirectory {
    const routed = (id: string): RoutedStore | undefined => {
      const group = this.groups.get(id);
      if (group) return { id, enabled: true, pick: () => group.pick() };
      // A store that exists but does not run is answered as disabled, or as unavailable (it failed
      // to start), not as unknown.
      if (!this.registry.has(id)) return undefined;
      let enabled = false;
      try {
        enabled = this.registry.get(id).enabled;
      } catch {
        // A store.json that cannot be read serves nothing.
      }
      return { id, enabled, pick: () => undefined };
    };
    return {
      byId: (id) => (/^[a-z0-9][a-z0-9-]{0,39}$/.test(id) ? routed(id) : undefined),
      byHost: (host) => {
        for (const group of this.groups.values())
          if (group.record.domains.includes(host)) return routed(group.id);
        const record = this.registry.findByDomain(host);
        return record ? routed(record.id) : undefined;
      },
    };
  }

  /** The release a store's slot ran last (slots.json), or the platform's own. */
  private slotsOf(id: string): SlotsFile {
    const file = this.layout.slotsFile(id);
    if (!existsSync(file)) return { active: 'blue', releases: {} };
    return JSON.parse(readFileSync(file, 'utf8')) as SlotsFile;
  }

  /** Records which slot of a store is live and what each runs, so a restarted platform starts the same. */
  saveSlots(group: StoreGroup): void {
    const releases: SlotsFile['releases'] = {};
    for (const name of ['blue', 'green'] as const) {
      const slot = group.slots[name];
      if (slot) releases[name] = { name: slot.release.name, root: slot.release.root };
    }
    const previous = this.slotsOf(group.id);
    const file: SlotsFile = { active: group.active, releases: { ...previous.releases, ...releases } };
    writeFileAtomic(this.layout.slotsFile(group.id), `${JSON.stringify(file, null, 2)}\n`);
  }

  /** The release a slot of a store ran last, from slots.json (rollback starts it again). */
  previousRelease(group: StoreGroup, slot: SlotName): Release | undefined {
    const saved = this.slotsOf(group.id).releases[slot];
    if (!saved || !existsSync(saved.root)) return undefined;
    return saved.root === currentRelease().root ? currentRelease() : releaseAt(saved.root, saved.name);
  }

  private liveRelease(id: string): { active: SlotName; release: Release } {
    const slots = this.slotsOf(id);
    const saved = slots.releases[slots.active];
    if (saved && saved.root !== currentRelease().root && existsSync(saved.root)) {
      return { active: slots.active, release: releaseAt(saved.root, saved.name) };
    }
    return { active: slots.active, release: currentRelease() };
  }

  /**
   * Starts a store; one that fails to start is reported and left down (status shows it, SIGHUP
   * or `shopstack store enable` tries again) while the other stores serve.
   */
  private async startStoreOrReport(record: StoreRecord, report: StepReport): Promise<void> {
    try {
      await this.startStore(record, report);
    } catch (err) {
      report(`${record.id}: ${(err as Error).message}`);
      this.settings.output(`platform: ${(err as Error).message}`, 'stderr');
    }
  }

  private async startStore(record: StoreRecord, report: StepReport): Promise<void> {
    const group = new StoreGroup(record, this.layout, this.registry, this.settings);
    const { active, release } = this.liveRelease(record.id);
    group.active = active;
    const started = Date.now();
    try {
      await group.start(release, (m) => report(`${record.id}: ${m}`));
    } catch (err) {
      await group.stop();
      throw new Error(`store ${record.id} did not start: ${(err as Error).message}`);
    }
    this.groups.set(record.id, group);
    report(
      `${record.id}: serving ${group.workerCount} worker(s) on ${release.name} (${Date.now() - started} ms)`,
    );
  }

  /** A consistent dump of a running embedded store's database, written by its database process. */
  async dumpDatabase(id: string, file: string): Promise<number> {
    const database = this.group(id).database;
    if (!database) throw new Error(`store ${id} has no embedded database`);
    return database.dump(file);
  }

  /** The group of a running store; an error names the store otherwise. */
  group(id: string): StoreGroup {
    const group = this.groups.get(id);
    if (!group)
      throw new Error(this.registry.has(id) ? `store ${id} is not running (disabled?)` : `no store "${id}"`);
    return group;
  }

  /** Runs an operation on one store, refusing a second one while the first runs. */
  async exclusive<T>(id: string, operation: string, work: () => Promise<T>): Promise<T> {
    const running = this.busy.get(id);
    if (running) throw new Error(`store ${id} is busy: ${running} is running`);
    this.busy.set(id, operation);
    try {
      return await work();
    } finally {
      this.busy.delete(id);
    }
  }

  /**
   * Stops a store and starts it again from its record: its database process and workers take up a
   * new database (after a restore). The store does not serve in between.
   */
  async reopen(id: string, report: StepReport = () => {}): Promise<void> {
    await this.exclusive(id, 'reopen', async () => {
      const group = this.groups.get(id);
      if (group) {
        await group.stop();
        this.groups.delete(id);
        report('stopped');
      }
      const record = this.registry.get(id);
      if (record.enabled) await this.startStore(record, report);
    });
  }

  /** Replaces a store's workers one at a time (`shopstack restart <store>`). */
  async restart(id: string, report: StepReport = () => {}): Promise<void> {
    await this.exclusive(id, 'restart', () => this.group(id).rollingRestart(report));
  }

  /**
   * Brings the running stores in line with the registry: starts enabled stores that do not run,
   * stops those disabled or removed, and takes up changed records (a rolling restart applies them).
   */
  async sync(report: StepReport = () => {}): Promise<void> {
    const records = new Map(this.registry.list().map((r) => [r.id, r]));
    for (const [id, group] of this.groups) {
      const record = records.get(id);
      if (!record || !record.enabled) {
        await this.exclusive(id, 'stop', () => group.stop());
        this.groups.delete(id);
        report(`${id}: stopped (${record ? 'disabled' : 'removed'})`);
      } else {
        group.record = record;
      }
    }
    for (const record of records.values()) {
      if (record.enabled && !this.groups.has(record.id)) await this.startStoreOrReport(record, report);
    }
  }

  /** SIGHUP: take up the registry's changes, then restart every store's workers one at a time. */
  async reload(report: StepReport = () => {}): Promise<void> {
    await this.sync(report);
    for (const id of this.groups.keys()) await this.restart(id, (m) => report(`${id}: ${m}`));
  }

  status(): StoreStatus[] {
    return this.registry.list().map((record) => {
      const group = this.groups.get(record.id);
      const slots = group
        ? (['blue', 'green'] as const).flatMap((name) => {
            const slot = group.slots[name];
            if (!slot) return [];
            return [
              {
                name,
                live: group.active === name,
                release: slot.release.name,
                version: slot.release.version,
                uptimeSeconds: seconds(slot.startedAt),
                workers: slot.workers.map((w) => ({
                  pid: w.pid,
                  state: w.state,
                  port: w.port,
                  inFlight: w.inFlight,
                  uptimeSeconds: seconds(w.startedAt),
                })),
              },
            ];
          })
        : [];
      return {
        id: record.id,
        name: record.name,
        enabled: record.enabled,
        domains: record.domains,
        up: record.enabled && (group?.liveSlot?.readyCount ?? 0) > 0,
        ...(group ? { active: group.active } : {}),
        ...(group?.database
          ? {
              database: {
                pid: group.database.pid,
                running: group.database.running,
                uptimeSeconds: seconds(group.database.startedAt),
              },
            }
          : {}),
        slots,
      };
    });
  }

  /** Stops taking requests, lets those in flight finish, stops every store and the control socket. */
  async stop(): Promise<void> {
    await this.backups?.stop();
    await this.gateway?.close();
    await Promise.all([...this.groups.values()].map((group) => group.stop()));
    this.groups.clear();
    await this.control?.close();
    rmSync(this.layout.controlSocket, { force: true });
  }
}
