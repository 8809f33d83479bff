import { randomBytes } from 'node:crypto';
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
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `shopstack_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
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
