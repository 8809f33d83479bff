import { spawn } from 'node:child_process';
import { checkExpandContract, describeViolations } from './migration-check.js';
import type { Platform } from './platform.js';
import { prepareRelease, type Release } from './release.js';
import { smokeTest } from './smoke-test.js';
import { storeProcessEnv, type StepReport, type StoreGroup } from './store-group.js';

export interface DeployResult {
  store: string;
  release: string;
  version: string;
  live: 'blue' | 'green';
  /** From the start of the deploy to the moment the gateway sent requests to the new slot. */
  switchAfterMs: number;
  totalMs: number;
}

/** Runs one timed step: its start and its end (with the time it took) are reported. */
async function step<T>(report: StepReport, name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  report(`${name}...`);
  const result = await work();
  report(`${name}: done in ${Date.now() - started} ms`);
  return result;
}

/** Applies a release's pending migrations to the store's database with that release's own code. */
async function migrate(
  platform: Platform,
  group: StoreGroup,
  release: Release,
  report: StepReport,
): Promise<void> {
  const layout = platform.layout;
  const configFile = platform.registry.writeProcessConfig(group.record);
  const child = spawn(process.execPath, [release.entry, 'migrate'], {
    cwd: layout.storeDir(group.id),
    env: storeProcessEnv({
      SHOPSTACK_CONFIG: configFile,
      ...(group.record.database.kind === 'embedded'
        ? { SHOPSTACK_DB_SOCKET: layout.databaseSocketDir(group.id) }
        : {}),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    for (const line of chunk.split('\n')) if (/applied|up to date/.test(line)) report(`  ${line.trim()}`);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0)
    throw new Error(`migrations failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`);
}

/** Stops the idle slot kept warm after the last deploy or rollback, if any. */
async function retireIdleSlot(group: StoreGroup, report: StepReport): Promise<void> {
  group.cancelRetirement();
  const idle = group.slots[group.idleSlotName];
  if (!idle) return;
  await group.stopSlot(group.idleSlotName);
  report(`stopped the idle ${idle.name} slot (${idle.release.name})`);
}

/**
 * Switches the gateway to the idle slot (atomically: the next request goes there), then drains the
 * old one — its in-flight requests finish, up to the drain timeout — and keeps it warm, without
 * traffic, for a quick rollback until the keep-warm time runs out.
 */
async function switchAndDrain(platform: Platform, group: StoreGroup, report: StepReport): Promise<void> {
  const from = group.active;
  group.active = group.idleSlotName;
  platform.saveSlots(group);
  report(`switched: the gateway sends ${group.id} to ${group.active} (${group.liveSlot!.release.name})`);
  const old = group.slots[from];
  if (!old) return;
  const inFlight = () => old.workers.reduce((n, w) => n + w.inFlight, 0);
  await step(report, `draining ${from} (${inFlight()} request(s) in flight)`, async () => {
    const deadline = Date.now() + platform.settings.drainTimeoutMs;
    while (inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (inFlight() > 0) report(`  ${inFlight()} request(s) still running after the drain timeout`);
  });
  const keepWarmMs = platform.settings.keepWarmMs;
  if (keepWarmMs <= 0) {
    await group.stopSlot(from);
    report(`stopped ${from}`);
  } else {
    group.retireLater(from, keepWarmMs);
    report(
      `${from} kept warm for ${Math.round(keepWarmMs / 1000)} s (shopstack rollback ${group.id} switches back at once)`,
    );
  }
}

/**
 * `shopstack deploy <store>`: the new release in the idle slot beside the live one. Migrations run
 * first (refused if they break the live release), the new workers start and must be ready, a smoke
 * test checks them, then the gateway switches and the old slot drains. Any failure before the
 * switch stops the new slot and leaves the live one serving as before.
 */
export async function deployStore(
  platform: Platform,
  id: string,
  version: string | undefined,
  report: StepReport,
): Promise<DeployResult> {
  return platform.exclusive(id, 'deploy', async () => {
    const started = Date.now();
    const group = platform.group(id);
    const live = group.liveSlot;
    if (!live) throw new Error(`store ${id} has no live slot`);
    const release = await step(report, `preparing release ${version ?? 'current'}`, async () =>
      prepareRelease(version, platform.layout.releasesDir, report),
    );
    report(
      `release ${release.name} (${release.version}) at ${release.root}; live: ${group.active} on ${live.release.name}`,
    );
    await step(report, 'checking migrations (expand/contract)', async () => {
      const violations = checkExpandContract(release, live.release);
      if (violations.length) throw new Error(`deploy refused: ${describeViolations(violations)}`);
    });
    await retireIdleSlot(group, report);
    await step(report, 'migrating the database', () => migrate(platform, group, release, report));
    const target = group.idleSlotName;
    const slot = await step(report, `starting ${group.workerCount} worker(s) in ${target}`, () =>
      group.startSlot(target, release, (m) => report(`  ${m}`)),
    ).catch(async (err: Error) => {
      await group.stopSlot(target);
      throw new Error(`deploy aborted, ${group.active} still serves: ${err.message}`);
    });
    try {
      await step(report, `smoke test on ${target}`, () =>
        smokeTest(
          { origin: slot.workers[0]!.origin, storeId: id, serviceSecret: platform.settings.serviceSecret },
          (m) => report(`  ${m}`),
        ),
      );
    } catch (err) {
      await group.stopSlot(target);
      throw new Error(`deploy aborted, ${group.active} still serves: ${(err as Error).message}`);
    }
    const switchAfterMs = Date.now() - started;
    await switchAndDrain(platform, group, report);
    return {
      store: id,
      release: release.name,
      version: release.version,
      live: group.active,
      switchAfterMs,
      totalMs: Date.now() - started,
    };
  });
}

/**
 * `shopstack rollback <store>`: back to the release before the last deploy. The slot kept warm
 * takes traffic at once; when it was already stopped, the previous release starts in it again
 * (no migration runs: the expand/contract rule keeps the old code working on the newer schema).
 */
export async function rollbackStore(
  platform: Platform,
  id: string,
  report: StepReport,
): Promise<DeployResult> {
  return platform.exclusive(id, 'rollback', async () => {
    const started = Date.now();
    const group = platform.group(id);
    const target = group.idleSlotName;
    group.cancelRetirement();
    let slot = group.slots[target];
    if (slot && slot.readyCount > 0) {
      report(`${target} (${slot.release.name}) is warm`);
    } else {
      const previous = platform.previousRelease(group, target);
      if (!previous) throw new Error(`store ${id} has no earlier release to roll back to`);
      slot = await step(report, `starting ${previous.name} in ${target}`, () =>
        group.startSlot(target, previous, (m) => report(`  ${m}`)),
      ).catch(async (err: Error) => {
        await group.stopSlot(target);
        throw new Error(`rollback aborted, ${group.active} still serves: ${err.message}`);
      });
      await step(report, `smoke test on ${target}`, () =>
        smokeTest(
          { origin: slot!.workers[0]!.origin, storeId: id, serviceSecret: platform.settings.serviceSecret },
          (m) => report(`  ${m}`),
        ),
      ).catch(async (err: Error) => {
        await group.stopSlot(target);
        throw new Error(`rollback aborted, ${group.active} still serves: ${err.message}`);
      });
    }
    const switchAfterMs = Date.now() - started;
    await switchAndDrain(platform, group, report);
    return {
      store: id,
      release: slot.release.name,
      version: slot.release.version,
      live: group.active,
      switchAfterMs,
      totalMs: Date.now() - started,
    };
  });
}
