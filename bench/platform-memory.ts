// Memory of each part of a platform (gateway, database process, workers) for an idle and a busy
// demo store, and how many idle demo stores one machine holds.
//   node --import tsx bench/platform-memory.ts [--products 600] [--workers 2] [--busy-seconds 20]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import type { StoreStatus } from '../packages/platform/src/index.js';
import { startLoad } from '../packages/platform/test-ops/support/load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(root, 'packages', 'cli', 'bin', 'shopstack.mjs');

/** Resident memory of a process in MB (VmRSS), or 0 when it is gone. */
function residentMb(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

export interface PartMemory {
  part: 'gateway' | 'database process' | 'worker';
  idleMb: number;
  busyPeakMb: number;
}

export interface PlatformMemoryFigures {
  products: number;
  workersPerStore: number;
  parts: PartMemory[];
  /** Database process plus the workers of one idle store. */
  idleStoreMb: number;
  /** Idle demo stores one machine of this size holds (memory minus the gateway and 1 GiB for the system). */
  machineGiB: number;
  storesPerMachine: number;
  /** The same with one worker per store. */
  storesPerMachineOneWorker: number;
  busy: { requests: number; failures: number; ratePerSecond: number };
}

/** Runs a platform with one embedded demo store and reads the memory of each of its processes. */
export async function measurePlatformMemory(options: {
  products: number;
  workers: number;
  busySeconds: number;
}): Promise<PlatformMemoryFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-memory-'));
  const env = { ...process.env, LOG_LEVEL: 'warn', SHOPSTACK_PLATFORM_DIR: dir };
  const create = spawnSync(
    process.execPath,
    [
      CLI,
      'store',
      'create',
      'demo',
      '--name',
      'Demo',
      '--domain',
      'demo.example',
      '--seed',
      '--products',
      String(options.products),
      '--workers',
      String(options.workers),
    ],
    { env, encoding: 'utf8' },
  );
  if (create.status !== 0) throw new Error(`store create failed: ${create.stderr}`);
  const platform = spawn(process.execPath, [CLI, 'platform', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  platform.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  try {
    const deadline = Date.now() + 180_000;
    while (!/Gateway listening on (http:\/\/[\d.]+:\d+)/.test(output)) {
      if (Date.now() > deadline || platform.exitCode !== null)
        throw new Error(`the platform did not start:\n${output}`);
      await sleep(200);
    }
    const url = output.match(/Gateway listening on (http:\/\/[\d.]+:\d+)/)![1]!;
    const status = spawnSync(process.execPath, [CLI, 'status', '--json'], { env, encoding: 'utf8' });
    const store = (JSON.parse(status.stdout) as { stores: StoreStatus[] }).stores[0]!;
    const workers = store.slots.find((s) => s.live)!.workers.map((w) => w.pid);
    const pids = { gateway: platform.pid!, database: store.database!.pid, workers };
    // Settle: the first requests compile and fill caches, as a store that has served a while would have.
    // (Not fetch: it drops the Host header, a forbidden header there.)
    const headers = { host: 'demo.example' };
    for (let i = 0; i < 20; i++) {
      await (await request(`${url}/`, { headers })).body.dump();
      await (await request(`${url}/api/catalogue/products?limit=12`, { headers })).body.dump();
    }
    await sleep(5000);
    const idle = {
      gateway: residentMb(pids.gateway),
      database: residentMb(pids.database),
      workers: pids.workers.map(residentMb),
    };
    const listing = (await (
      await request(`${url}/api/catalogue/products?inStock=true&limit=50`, { headers })
    ).body.json()) as {
      items: Array<{ slug: string; variants: Array<{ sku: string; inStock: boolean }> }>;
    };
    const peak = { gateway: 0, database: 0, worker: 0 };
    const load = startLoad({
      url,
      storeHeaders: headers,
      ratePerSecond: 100,
      checkoutShare: 0.1,
      slugs: listing.items.map((p) => p.slug),
      skus: listing.items.flatMap((p) => p.variants.filter((v) => v.inStock).map((v) => v.sku)),
    });
    for (let s = 0; s < options.busySeconds; s++) {
      await sleep(1000);
      peak.gateway = Math.max(peak.gateway, residentMb(pids.gateway));
      peak.database = Math.max(peak.database, residentMb(pids.database));
      peak.worker = Math.max(peak.worker, ...pids.workers.map(residentMb));
    }
    const report = await load.stop();
    const worker = Math.max(...idle.workers);
    const idleStoreMb = idle.database + idle.workers.reduce((a, b) => a + b, 0);
    const machineGiB = Math.round(totalmem() / 1024 ** 3);
    const available = totalmem() / 1024 ** 2 - idle.gateway - 1024;
    return {
      products: options.products,
      workersPerStore: options.workers,
      parts: [
        { part: 'gateway', idleMb: idle.gateway, busyPeakMb: peak.gateway },
        { part: 'database process', idleMb: idle.database, busyPeakMb: peak.database },
        { part: 'worker', idleMb: worker, busyPeakMb: peak.worker },
      ],
      idleStoreMb,
      machineGiB,
      storesPerMachine: Math.floor(available / idleStoreMb),
      storesPerMachineOneWorker: Math.floor(available / (idle.database + worker)),
      busy: {
        requests: report.requests,
        failures: report.failures.length,
        ratePerSecond: Math.round(report.requests / (report.elapsedMs / 1000)),
      },
    };
  } finally {
    platform.kill('SIGTERM');
    await new Promise((resolve) => platform.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as a table for people. */
export function formatPlatformMemoryTable(figures: PlatformMemoryFigures): string {
  const rows = figures.parts.map(
    (p) =>
      `| ${p.part.padEnd(16)} | ${String(p.idleMb).padStart(7)} | ${String(p.busyPeakMb).padStart(13)} |`,
  );
  return [
    `Platform memory: one embedded demo store (${figures.products} products, ${figures.workersPerStore} workers), resident MB`,
    '| part             | idle MB | busy peak MB |',
    '|------------------|---------|--------------|',
    ...rows,
    `Idle store (database + workers): ${figures.idleStoreMb} MB -> ${figures.storesPerMachine} idle demo stores on ${figures.machineGiB} GiB` +
      ` (${figures.storesPerMachineOneWorker} with one worker each).`,
    `Busy: ${figures.busy.requests} requests at ${figures.busy.ratePerSecond}/s, ${figures.busy.failures} failed.`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '600' },
      workers: { type: 'string', default: '2' },
      'busy-seconds': { type: 'string', default: '20' },
    },
  });
  const figures = await measurePlatformMemory({
    products: Number(values.products),
    workers: Number(values.workers),
    busySeconds: Number(values['busy-seconds']),
  });
  console.log(JSON.stringify(figures, null, 2));
  console.log(formatPlatformMemoryTable(figures));
}
