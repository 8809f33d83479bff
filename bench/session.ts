import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintServiceToken } from '@shopstack/kernel';
import type { CheckoutFigures, CheckoutTransactions } from './checkout.js';
import type { DuringImportResult } from './during-import.js';
import { measure, type LoadResult, type PathSource } from './load.js';
import { options } from './options.js';
import type { ServerProcess } from './processes.js';
import type { Scenario, ScenarioResult, ServerStart } from './report.js';
import type { StockChurnResult } from './stock-churn.js';

// What one bench run shares between its steps: the staff token, the clean-up steps, and what has been
// measured so far.

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The store's service secret for the run: the bench acts as staff with a token signed by it. */
export const serviceSecret = randomBytes(32).toString('base64url');

/** A staff admin's credential at the catalogue (stock writes, imports), valid for the whole run. */
export const staffToken = await mintServiceToken(
  {
    secret: serviceSecret,
    storeId: 'demo',
    caller: 'bench',
    audience: 'catalogue',
    lifetimeSeconds: 6 * 3600,
  },
  { actor: { kind: 'staff', id: 'bench', role: 'admin' } },
);

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Undo steps for what is running right now (servers, databases, data directories), newest first. */
export const cleanups: Array<() => Promise<void>> = [];
export async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    const step = cleanups.pop()!;
    await step().catch((err: unknown) => log(`clean-up step failed: ${(err as Error).message}`));
  }
}

/** Runs `body` against a server started by `start`, which is stopped afterwards and at clean-up. */
export async function withServer<T>(
  start: () => Promise<ServerProcess>,
  body: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const server = await start();
  const stop = () => server.stop();
  cleanups.push(stop);
  try {
    return await body(server);
  } finally {
    const index = cleanups.indexOf(stop);
    if (index >= 0) cleanups.splice(index, 1);
    await stop();
  }
}

/**
 * A scenario's load measurement, with the stock writer's figures when it ran under stock churn and
 * the checkout's own figures for the checkout.
 */
export interface Measurement {
  backend: ScenarioResult['backend'];
  scenario: Scenario;
  load: LoadResult;
  writes?: StockChurnResult;
  checkout?: CheckoutFigures & Partial<CheckoutTransactions>;
}

export const measured: Measurement[] = [];
export const serverStarts: ServerStart[] = [];
export const duringImport: DuringImportResult[] = [];
export const ceilings: LoadResult[] = [];
export const failures: string[] = [];

/** Measures one scenario with the run's settings, logging what it does and what it found. */
export async function run(label: string, baseUrl: string, paths: PathSource): Promise<LoadResult> {
  log(
    `${label}: ${typeof paths === 'function' ? 'a new path for every request' : `${paths.length} paths`}, ` +
      `${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s`,
  );
  const load = await measure({
    baseUrl,
    paths,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
  });
  log(
    `${label}: ${load.requestsPerSec} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, ` +
      `${load.errors} errors, ${load.non2xx} non-2xx` +
      (load.coldPassRequestsPerSec === null ? '' : ` (first pass ${load.coldPassRequestsPerSec} req/s)`),
  );
  return load;
}
