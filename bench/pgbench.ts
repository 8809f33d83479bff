import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BENCH_POSTGRES_URL, createBenchDatabase } from './postgres.js';
import { cleanups, log } from './session.js';

const run = promisify(execFile);

/** What pgbench's TPC-B-like run reached on the bench's PostgreSQL server. */
export interface PgbenchResult {
  /** Transactions per second, without the time to open the connections. */
  tps: number;
  clients: number;
  threads: number;
  scale: number;
  seconds: number;
}

export interface PgbenchOptions {
  clients: number;
  threads: number;
  scale: number;
  seconds: number;
}

/** pgbench's own figure: "tps = 1234.56 (without initial connection time)". */
export function parseTps(output: string): number | null {
  const match = /^tps = ([0-9.]+) \(without initial connection time\)$/m.exec(output);
  return match ? Number(match[1]) : null;
}

/**
 * Runs pgbench against a scratch database of the bench's PostgreSQL server (initialized at
 * `scale`, then the built-in TPC-B-like script without vacuum), and drops the database afterwards.
 * Resolves to null, saying why, when pgbench is not installed.
 */
export async function measurePgbench(options: PgbenchOptions): Promise<PgbenchResult | null> {
  const server = new URL(BENCH_POSTGRES_URL);
  const database = await createBenchDatabase('shopstack_pgbench');
  const stop = new AbortController();
  const undo = async () => {
    stop.abort();
    await database.drop();
  };
  cleanups.push(undo);
  const pgbench = (args: string[], timeoutSeconds: number) =>
    run(
      'pgbench',
      [
        '-h',
        server.hostname,
        '-p',
        server.port || '5432',
        '-U',
        decodeURIComponent(server.username),
        ...args,
        new URL(database.url).pathname.slice(1),
      ],
      { signal: stop.signal, timeout: timeoutSeconds * 1000, maxBuffer: 16 * 1024 * 1024 },
    );
  try {
    log(`pgbench: initializing scale ${options.scale}`);
    await pgbench(['-i', '-q', '-s', String(options.scale)], 600);
    log(
      `pgbench: ${options.clients} clients, ${options.threads} threads, ${options.seconds} s, TPC-B-like, no vacuum`,
    );
    const { stdout } = await pgbench(
      ['-c', String(options.clients), '-j', String(options.threads), '-T', String(options.seconds), '-n'],
      options.seconds + 120,
    );
    const tps = parseTps(stdout);
    if (tps === null) throw new Error(`pgbench printed no tps line:\n${stdout.slice(-1000)}`);
    log(`pgbench: ${tps} tps`);
    return { tps, ...options };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      log('pgbench is not installed (not found on PATH): the comparison with pgbench is skipped');
      return null;
    }
    throw err;
  } finally {
    const index = cleanups.indexOf(undo);
    if (index >= 0) cleanups.splice(index, 1);
    await undo();
  }
}
