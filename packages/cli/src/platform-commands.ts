import closeWithGrace from 'close-with-grace';
import {
  ControlClient,
  Platform,
  platformLayout,
  type DeployResult,
  type StoreStatus,
} from '@shopstack/platform';

export interface PlatformCommandOptions {
  dir?: string;
  host?: string;
  port?: number;
  workers?: number;
  keepWarm?: number;
  drainTimeout?: number;
}

const stamp = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `shopstack platform`: the gateway and every enabled store's workers, until Ctrl-C or SIGTERM.
 * SIGHUP takes up changed stores and restarts every store's workers one at a time.
 */
export async function platformCommand(options: PlatformCommandOptions): Promise<void> {
  const layout = platformLayout(options.dir);
  const platform = new Platform({
    layout,
    host: options.host ?? process.env.HOST ?? '127.0.0.1',
    port: options.port ?? Number(process.env.PORT ?? 8080),
    ...(options.workers !== undefined ? { defaultWorkers: options.workers } : {}),
    ...(options.keepWarm !== undefined ? { keepWarmMs: options.keepWarm * 1000 } : {}),
    ...(options.drainTimeout !== undefined ? { drainTimeoutMs: options.drainTimeout * 1000 } : {}),
  });
  const started = Date.now();
  console.log(`Platform: ${layout.root}`);
  await platform.start((message) => console.log(`[${stamp(Date.now() - started)}] ${message}`));
  const stores = platform.status();
  console.log(
    `Gateway listening on ${platform.url}: ${stores.filter((s) => s.up).length} of ${stores.length} store(s) serving` +
      (stores.length
        ? ` (e.g. ${platform.url}/s/${stores[0]!.id}/)`
        : '; create one with "shopstack store create"'),
  );
  let reloading: Promise<void> | undefined;
  process.on('SIGHUP', () => {
    if (reloading) return;
    const begun = Date.now();
    console.log('SIGHUP: taking up store changes and restarting workers one at a time...');
    reloading = platform
      .reload((message) => console.log(`[${stamp(Date.now() - begun)}] ${message}`))
      .then(
        () => console.log(`Reload done in ${stamp(Date.now() - begun)}.`),
        (err: Error) => console.error(`Reload failed: ${err.message}`),
      )
      .finally(() => (reloading = undefined));
  });
  // SIGHUP means reload here, not stop.
  closeWithGrace({ delay: 60_000, skip: ['SIGHUP'] }, async ({ signal, err }) => {
    if (err) console.error('Platform failed:', err);
    console.log(`Stopping the platform (${signal ?? 'error'}): finishing in-flight requests...`);
    await platform.stop();
    console.log('Stopped.');
  });
}

/** Runs an operation on the running platform, printing each step with the time since the start. */
export async function runOperation(
  dir: string | undefined,
  path: string,
  body: unknown = {},
): Promise<unknown> {
  const client = new ControlClient(platformLayout(dir));
  try {
    const { elapsedMs, result } = await client.operation(
      path,
      (message, at) => console.log(`[${stamp(at)}] ${message}`),
      body,
    );
    console.log(`Done in ${stamp(elapsedMs)}.`);
    return result;
  } finally {
    await client.close();
  }
}

/** `shopstack restart <store>`: replaces the store's workers one at a time, serving throughout. */
export async function restartCommand(id: string, options: { dir?: string }): Promise<void> {
  await runOperation(options.dir, `/stores/${encodeURIComponent(id)}/restart`);
}

function formatUptime(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

/**
 * `shopstack status`: every store with its live slot, release, workers, readiness and uptime. Exits
 * non-zero when the platform is down or an enabled store serves nothing (for uptime monitors).
 */
export async function statusCommand(options: { dir?: string; json?: boolean }): Promise<void> {
  const client = new ControlClient(platformLayout(options.dir));
  let answer: { gateway: string; pid: number; stores: StoreStatus[] };
  try {
    answer = await client.get('/status');
  } finally {
    await client.close();
  }
  const down = answer.stores.filter((s) => s.enabled && !s.up);
  if (options.json) console.log(JSON.stringify(answer, null, 2));
  else {
    console.log(`Platform pid ${answer.pid}, gateway ${answer.gateway}`);
    for (const store of answer.stores) {
      const state = !store.enabled ? 'disabled' : store.up ? 'up' : 'DOWN';
      console.log(`${store.id}  ${state}${store.active ? `  live: ${store.active}` : ''}`);
      if (store.database)
        console.log(
          `  database  pid ${store.database.pid}  ${store.database.running ? 'running' : 'stopped'}  up ${formatUptime(store.database.uptimeSeconds)}`,
        );
      for (const slot of store.slots) {
        const ready = slot.workers.filter((w) => w.state === 'ready').length;
        console.log(
          `  ${slot.name}${slot.live ? ' (live)' : ''}  ${slot.release} ${slot.version}  ${ready}/${slot.workers.length} ready  up ${formatUptime(slot.uptimeSeconds)}`,
        );
        for (const worker of slot.workers)
          console.log(
            `    worker pid ${worker.pid}  ${worker.state}  :${worker.port}  up ${formatUptime(worker.uptimeSeconds)}`,
          );
      }
    }
  }
  if (down.length) {
    if (!options.json) console.error(`Down: ${down.map((s) => s.id).join(', ')}`);
    process.exitCode = 1;
  }
}

/**
 * `shopstack deploy <store> [--version <git ref or directory>]`: blue-green: the new release starts
 * beside the live one, is migrated, readied and smoke-tested, then takes the traffic.
 */
export async function deployCommand(id: string, options: { dir?: string; version?: string }): Promise<void> {
  const result = (await runOperation(options.dir, `/stores/${encodeURIComponent(id)}/deploy`, {
    ...(options.version !== undefined ? { version: options.version } : {}),
  })) as DeployResult;
  console.log(
    `Store ${result.store} now serves ${result.release} (${result.version}) from ${result.live}; switched ${stamp(result.switchAfterMs)} after the start.`,
  );
}

/** `shopstack rollback <store>`: back to the release before the last deploy. */
export async function rollbackCommand(id: string, options: { dir?: string }): Promise<void> {
  const result = (await runOperation(
    options.dir,
    `/stores/${encodeURIComponent(id)}/rollback`,
  )) as DeployResult;
  console.log(`Store ${result.store} is back on ${result.release} (${result.version}) in ${result.live}.`);
}
