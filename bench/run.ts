import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { duringImportVerdict, measureDuringImport, type DuringImportResult } from './during-import.js';
import { measure, type LoadResult } from './load.js';
import { createBenchDatabase } from './postgres.js';
import { BENCH_HOST, freePort, startServer, type ServerProcess } from './processes.js';
import { checkTargets, formatTable, type Backend, type Scenario, type ScenarioResult } from './report.js';
import { collectProducts, detailPaths, listPaths, searchPaths, unrequestedProductPath } from './scenarios.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

function backendsFromEnv(): Backend[] {
  const names = (process.env.BENCH_BACKENDS ?? 'pglite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (name !== 'pglite' && name !== 'postgres') throw new Error(`BENCH_BACKENDS: unknown backend ${name}`);
  }
  return names as Backend[];
}

const options = {
  durationSeconds: numberFromEnv('BENCH_DURATION', 10),
  warmupSeconds: numberFromEnv('BENCH_WARMUP', 3),
  connections: numberFromEnv('BENCH_CONNECTIONS', 50),
  products: numberFromEnv('BENCH_PRODUCTS', 10_000),
  detailSlugs: numberFromEnv('BENCH_DETAIL_SLUGS', 2_000),
  backends: backendsFromEnv(),
  startTimeoutSeconds: numberFromEnv('BENCH_START_TIMEOUT', 900),
  timeoutSeconds: numberFromEnv('BENCH_TIMEOUT', 3_600),
  importRows: numberFromEnv('BENCH_IMPORT_ROWS', 5_000),
};
const staffToken = randomBytes(24).toString('base64url');

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Undo steps for what is running right now (servers, databases, data directories), newest first. */
const cleanups: Array<() => Promise<void>> = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    const step = cleanups.pop()!;
    await step().catch((err: unknown) => log(`clean-up step failed: ${(err as Error).message}`));
  }
}

async function abort(reason: string): Promise<never> {
  log(`${reason}: stopping servers and cleaning up`);
  await cleanUp();
  process.exit(2);
}

// The bench always ends: past its time budget it cleans up and exits, as on Ctrl-C.
setTimeout(
  () => void abort(`time budget of ${options.timeoutSeconds} s exceeded`),
  options.timeoutSeconds * 1000,
).unref();
process.once('SIGINT', () => void abort('interrupted'));
process.once('SIGTERM', () => void abort('terminated'));

async function withServer<T>(
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

const measured: Array<{ backend: Backend; scenario: Scenario; load: LoadResult }> = [];
const duringImport: DuringImportResult[] = [];
const ceilings: LoadResult[] = [];
const failures: string[] = [];

async function run(label: string, baseUrl: string, paths: string[]): Promise<LoadResult> {
  log(
    `${label}: ${paths.length} paths, ${options.connections} connections, ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s`,
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
      `${load.errors} errors, ${load.non2xx} non-2xx (first pass ${load.coldPassRequestsPerSec} req/s)`,
  );
  return load;
}

async function measureCeiling(): Promise<void> {
  const port = await freePort();
  await withServer(
    () =>
      startServer({
        name: 'hello-world server',
        args: ['--import', 'tsx', path.join(root, 'bench', 'hello-server.ts')],
        env: { ...process.env, HOST: BENCH_HOST, PORT: String(port), NODE_ENV: 'production' },
        port,
        readyPath: '/',
        timeoutMs: 60_000,
      }),
    async (server) => {
      const load = await run('hello-world', server.baseUrl, ['/']);
      if (load.errors + load.non2xx + load.warmupFailures > 0) {
        failures.push(
          `the hello-world server failed ${load.errors + load.non2xx + load.warmupFailures} requests`,
        );
      }
      ceilings.push(load);
    },
  );
}

async function measureShop(backend: Backend): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shopstack-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: BENCH_HOST,
    SHOPSTACK_DATA_DIR: dataDir,
    SHOPSTACK_SEED_PRODUCTS: String(options.products),
    SHOPSTACK_ADMIN_TOKEN: staffToken,
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.SHOPSTACK_CONFIG;
  if (backend === 'postgres') {
    const database = await createBenchDatabase();
    cleanups.push(() => database.drop());
    env.DATABASE_URL = database.url;
  }
  const port = await freePort();
  env.PORT = String(port);

  log(`${backend}: starting ShopStack (seeding ${options.products} products on first start)`);
  const started = Date.now();
  await withServer(
    () =>
      startServer({
        name: `ShopStack on ${backend}`,
        args: [path.join(root, 'packages', 'cli', 'bin', 'shopstack.mjs'), 'start'],
        env,
        port,
        readyPath: '/health/ready',
        timeoutMs: options.startTimeoutSeconds * 1000,
      }),
    async (server) => {
      log(`${backend}: ready after ${Math.round((Date.now() - started) / 1000)} s`);
      const catalogue = await collectProducts(server.baseUrl, options.detailSlugs);
      log(
        `${backend}: the catalogue lists ${catalogue.total} published products; ${catalogue.slugs.length} product pages in rotation`,
      );
      if (catalogue.slugs.length === 0)
        throw new Error(`${backend}: the catalogue is empty, nothing to measure`);

      const record = async (scenario: Scenario, paths: string[]) =>
        measured.push({
          backend,
          scenario,
          load: await run(`${backend} ${scenario}`, server.baseUrl, paths),
        });
      await record('product-detail', detailPaths(catalogue));
      await record('product-list', await listPaths(server.baseUrl));
      const search = await searchPaths(server.baseUrl, catalogue);
      log(`${backend}: ${search.terms.length} search terms, ${search.termsWithoutHits} of them without hits`);
      await record('search', search.paths);

      log(`${backend}: importing ${options.importRows} products while probing liveness and a cached read`);
      const during = await measureDuringImport(
        backend,
        server.baseUrl,
        staffToken,
        await unrequestedProductPath(server.baseUrl, catalogue),
        options.importRows,
      );
      duringImport.push(during);
      log(duringImportVerdict(during).text);
    },
  );
}

// Other work on the machine skews every number; the load average at start says how busy it was.
const loadAverageAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
log(
  `${cpus().length} CPUs (${availableParallelism()} usable, load average ${loadAverageAtStart.join(' ')}), Node ${process.version}; backends ${options.backends.join(', ')}; ` +
    `${options.products} products`,
);
try {
  await measureCeiling();
  for (const backend of options.backends) {
    try {
      await measureShop(backend);
    } catch (err) {
      failures.push(`${backend}: ${(err as Error).message}`);
      log(`${backend} failed: ${(err as Error).message}`);
    } finally {
      await cleanUp();
    }
  }
  // The ceiling is measured again at the end and the better run kept, so that a burst of other
  // work on the machine during one measurement cannot make the ratios look better than they are.
  if (measured.length) await measureCeiling();
} catch (err) {
  failures.push((err as Error).message);
  log(`failed: ${(err as Error).message}`);
} finally {
  await cleanUp();
}

const ceiling = ceilings.reduce<LoadResult | undefined>(
  (best, c) => (best && best.requestsPerSec >= c.requestsPerSec ? best : c),
  undefined,
);
const results: ScenarioResult[] = [];
const entries = [
  ...(ceiling ? [{ backend: 'fastify' as const, scenario: 'hello-world' as const, load: ceiling }] : []),
  ...measured,
];
for (const { backend, scenario, load } of entries) {
  // Key order puts the headline numbers first in each JSON line.
  const result: ScenarioResult = {
    backend,
    scenario,
    requestsPerSec: load.requestsPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    errors: load.errors,
    non2xx: load.non2xx,
    ratioToCeiling: ceiling ? Math.round((load.requestsPerSec / ceiling.requestsPerSec) * 1000) / 1000 : 0,
    requests: load.requests,
    timeouts: load.timeouts,
    coldPassRequestsPerSec: load.coldPassRequestsPerSec,
    warmupFailures: load.warmupFailures,
  };
  results.push(result);
  console.log(JSON.stringify(result));
}
if (ceilings.length > 1)
  log(
    `hello-world ceiling runs: ${ceilings.map((c) => c.requestsPerSec).join(' and ')} req/s; the higher one is used`,
  );

for (const during of duringImport) console.log(JSON.stringify(during));

const checks = checkTargets(results);
if (results.length) console.log(`\n${formatTable(results, checks)}`);
const importVerdicts = duringImport.map(duringImportVerdict);
if (importVerdicts.length)
  console.log(`\nWhile a staff import runs:\n${importVerdicts.map((v) => `- ${v.text}`).join('\n')}`);
const allHold = checks.every((c) => c.holds) && importVerdicts.every((v) => v.holds) && failures.length === 0;

const report = {
  finishedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtStart },
  options,
  ceilingRuns: ceilings.map((c) => c.requestsPerSec),
  results,
  duringImport,
  targets: checks,
  failures,
  allTargetsHold: allHold,
};
mkdirSync(path.join(root, '.bench'), { recursive: true });
writeFileSync(path.join(root, '.bench', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
log(`results written to .bench/latest.json; ${allHold ? 'every target holds' : 'some targets do not hold'}`);
for (const failure of failures) log(`failure: ${failure}`);
process.exit(allHold ? 0 : 1);
