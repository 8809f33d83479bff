import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** The server the PostgreSQL runs use; only its loopback address is ever targeted. */
export const BENCH_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a database of its own for one run; `drop` removes it even while connections remain. */
export async function createBenchDatabase(prefix = 'shopstack_bench'): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * How long PostgreSQL may keep a backend's counters before they reach pg_stat_database: a backend
 * that goes idle less than a second after its last report reports again 10 s later.
 */
export const STATS_REPORT_DELAY_MS = 11_000;

/** A database's transaction counters at one moment. */
export interface TransactionCounters {
  /** Transactions committed in the database (pg_stat_database.xact_commit), read-only ones included. */
  commits: number;
  /**
   * The next transaction id of the whole server: it moves on only for transactions (and
   * subtransactions) that write, in any database of the server.
   */
  nextTransactionId: number;
}

/**
 * The transaction counters of a database, read on a connection of its own (which writes nothing)
 * after waiting `settleMs` for the server's backends to report their commits.
 */
export async function transactionCounters(
  url: string,
  settleMs = STATS_REPORT_DELAY_MS,
): Promise<TransactionCounters> {
  await sleep(settleMs);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string; next: string }>(
      `select xact_commit as commits, pg_snapshot_xmax(pg_current_snapshot())::text as next
         from pg_stat_database where datname = current_database()`,
    );
    return { commits: Number(rows[0]!.commits), nextTransactionId: Number(rows[0]!.next) };
  } finally {
    await client.end();
  }
}
